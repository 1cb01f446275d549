# Frases de los borradores de «Resumen de conclusiones por MCIM», en español (sintaxis de Project
# Fluent: https://projectfluent.org/fluent/guide/). Qué frase se dice, cuándo y con qué
# respuestas: véase summary.yaml. Los Estados, MCIM y organizaciones llegan con su artículo («los
# Países Bajos»), y también como NOMBRE_of («de los Países Bajos»), NOMBRE_to («a los Países
# Bajos»), NOMBRE_bare, NOMBRE_gender (m, f) y NOMBRE_number (singular, plural) para la
# concordancia: su gramática está en schemas/. Las respuestas de texto libre llegan ya entre
# comillas y nunca se reescriben.

## Encabezado del documento

organization = Organización Internacional para las Migraciones (OIM)
division = División de Asociaciones Internacionales
title = Resumen de conclusiones por MCIM
all-title = Resúmenes de conclusiones de todos los MCIM
purpose = En el marco de una evaluación de los mecanismos de consulta interestatales sobre migración (MCIM), en { $year } se realizó una encuesta. Llevada a cabo por la OIM entre los MCIM, sus Estados miembros y las organizaciones intergubernamentales pertinentes, la encuesta tenía por objeto evaluar la vigencia de los MCIM, su contribución a la gobernanza de la migración en todos los niveles (nacional, regional e internacional) y las sinergias entre los MCIM y con otros actores.
counts = En total, { $state ->
    [one] { $state } Estado
   *[other] { $state } Estados
  }, { $iscm } MCIM y { $igo ->
    [0] ninguna organización intergubernamental
    [one] { $igo } organización intergubernamental
   *[other] { $igo } organizaciones intergubernamentales
  } respondieron a los cuestionarios.
outline = La información que figura a continuación presenta las prioridades temáticas, la estructura, el impacto y la pertinencia del MCIM, según se desprende de las respuestas.
draft-note = Borrador elaborado a partir de las respuestas a los cuestionarios. Las citas reproducen las palabras de los encuestados; los pasajes resaltados requieren la atención de la redacción.
name-line = Nombre del mecanismo de consulta interestatal sobre migración (MCIM):{" "}
name-line-name = { $full } ({ $short })
missing-iscm = { $name } no { $name_number ->
    [plural] respondieron
   *[singular] respondió
  } al cuestionario. Este resumen se basa en lo que dijeron al respecto los Estados y las organizaciones intergubernamentales.
missing-section = { $name } no { $name_number ->
    [plural] respondieron
   *[singular] respondió
  } a esta sección.
missing-iscm-invalid = Se recibió el cuestionario devuelto por { $name }, pero no es válido: debe corregirse (la copia anotada indica qué hay que corregir) antes de poder usar sus respuestas. Este resumen se basa en lo que dijeron al respecto los Estados y las organizaciones intergubernamentales.
missing-iscm-rejected = Se recibió un archivo { $of_name }, pero no se puede leer; debe enviarse de nuevo. Este resumen se basa en lo que dijeron al respecto los Estados y las organizaciones intergubernamentales.
missing-iscm-conflicting = { $name } { $name_number ->
    [plural] enviaron
   *[singular] envió
  } varios cuestionarios que no pueden ordenarse (misma fecha y hora de finalización); no se usa ninguno hasta que se elija uno. Este resumen se basa en lo que dijeron al respecto los Estados y las organizaciones intergubernamentales.
missing-section-pending = Las respuestas { $of_name } a esta sección no se utilizan hasta que se reciba un cuestionario válido.
page-header = Borrador para revisión – no difundir
page-footer = Página

## Palabras

quote = «{ $text }»
translation-needed = Se necesita traducción: el encuestado escribió en { $language }. Conserve el original hasta que se revise la traducción.
language-en = inglés
language-fr = francés
language-es = español
# Un Estado, MCIM u organización ($name) según su artículo ($article: el, la, los, las, none).
name-the = { $article ->
    [el] el { $name }
    [la] la { $name }
    [los] los { $name }
    [las] las { $name }
   *[none] { $name }
  }
name-of = { $article ->
    [el] del { $name }
    [la] de la { $name }
    [los] de los { $name }
    [las] de las { $name }
   *[none] de { $name }
  }
name-to = { $article ->
    [el] al { $name }
    [la] a la { $name }
    [los] a los { $name }
    [las] a las { $name }
   *[none] a { $name }
  }
name-bare = { $name }
name-spelled-out = { $spelled } ({ $acronym })
number-word = { $n ->
    [0] cero
    [1] uno
    [2] dos
    [3] tres
    [4] cuatro
    [5] cinco
    [6] seis
    [7] siete
    [8] ocho
    [9] nueve
    [10] diez
    [11] once
    [12] doce
   *[other] { $n }
  }
# Una oración no empieza con una cifra: «En total, 13 de los Estados...», pero «Tres de...».
count-lead = { $count ->
    [0] {""}
    [1] {""}
    [2] {""}
    [3] {""}
    [4] {""}
    [5] {""}
    [6] {""}
    [7] {""}
    [8] {""}
    [9] {""}
    [10] {""}
    [11] {""}
    [12] {""}
   *[other] En total,{" "}
  }
generic-answer = { $question } { $answer }

## Respuestas que una etiqueta no basta para decir en una frase (LISTA-CÓDIGO)

work_plan_cycles-annual = con carácter anual
work_plan_cycles-chairmanship = para la duración de cada presidencia
work_plan_cycles-multi_annual = con carácter plurianual
chair_holders-one_state = un solo Estado a la vez
chair_holders-co_chairs = dos o más Estados conjuntamente (copresidencia)
chair_holders-organization = una organización
chair_selections-rotation = por rotación entre sus miembros
chair_selections-election = por elección de sus miembros
chair_selections-permanent = con carácter permanente
secretariat_types-political_technical = una secretaría política y técnica
secretariat_types-political = una secretaría política
secretariat_types-technical = una secretaría técnica

# El MCIM del que trata el borrador, retomado por un pronombre: «le presta», pero «les presta»
# a las Consultas de Asia y el Pacífico ($name_number, $name_gender).
iscm-to-it = { $name_number ->
    [plural] les
   *[singular] le
  }
iscm-it = { $name_number ->
    [plural] { $name_gender ->
        [f] ellas
       *[m] ellos
      }
   *[singular] { $name_gender ->
        [f] ella
       *[m] él
      }
  }

## 1. Programación y prioridades temáticas

mandate = El mandato original { $of_name } abarcaba los siguientes ámbitos: { $areas }.
priorities = Sus prioridades temáticas actuales son las siguientes: { $areas }.
strategy-no = { $name } no { $name_number ->
    [plural] cuentan
   *[singular] cuenta
  } con una estrategia formalizada.
strategy-yes = { $period_count ->
    [0] { $name } { $name_number ->
        [plural] cuentan
       *[singular] cuenta
      } con una estrategia formalizada.
   *[other] { $name } { $name_number ->
        [plural] cuentan
       *[singular] cuenta
      } con una estrategia formalizada, que abarca el período { $period }.
  }
guiding = { $year_count ->
    [0] El principal documento que orienta sus acciones y prioridades se titula { $document }.
   *[other] El principal documento que orienta sus acciones y prioridades, aprobado en { $year }, se titula { $document }.
  }
work-plan = La labor { $of_name } se ejecuta y se supervisa con arreglo a su plan de trabajo, que se elabora { $plans }.
work-plan-none = { $name } no { $name_number ->
    [plural] cuentan
   *[singular] cuenta
  } con un plan de trabajo.
monitoring = { $actors_count ->
    [one] El seguimiento corre a cargo de { $actors }.
   *[other] El seguimiento corre a cargo, conjuntamente, de { $actors }.
  }
monitoring-none = La ejecución del plan de trabajo no es objeto de seguimiento.
evolution = El MCIM describe así la evolución de sus prioridades temáticas: { $quote }.

## 2. Contribución a la gobernanza de la migración

activities = { $name } { $name_number ->
    [plural] contribuyen
   *[singular] contribuye
  } a la gobernanza de la migración mediante las siguientes actividades: { $activities }.
national = El MCIM describe así su contribución a nivel nacional: { $quote }.
regional = El MCIM describe así su contribución a nivel (inter)regional: { $quote }.
global = El MCIM describe así su contribución a nivel mundial: { $quote }.
joint-monitoring = A nivel (inter)regional, el MCIM indica que hace el seguimiento de un plan de acción junto con otros MCIM: { $quote }.

## 3. Estructuras

structures = Las estructuras { $of_name } comprenden { $parts }.
steering-committee = un comité directivo
# Quién ejerce la presidencia ($holder, vacío en una respuesta de la versión 1) y cómo se designa ($selection).
chair = { $holder_count ->
    [0] { $selection_code ->
        [rotation] La presidencia { $of_name } rota entre sus miembros.
        [election] La presidencia { $of_name } es elegida por sus miembros.
        [permanent] La presidencia { $of_name } se ejerce con carácter permanente.
       *[other] La presidencia { $of_name } se designa de la siguiente manera: { $selection }.
      }
   *[other] La presidencia { $of_name } { $holder_code ->
        [co_chairs] la ejercen
       *[other] la ejerce
      } { $holder }, { $selection }.
  }
chair-held = La presidencia { $of_name } la ejerce { $holder }.
chair-none = { $name } no { $name_number ->
    [plural] tienen
   *[singular] tiene
  } presidencia.
steering-members = El MCIM describe así la composición de su comité directivo: { $quote }.
secretariat = { $managed_count ->
    [one] La secretaría está gestionada por { $managed }
   *[other] La secretaría está gestionada conjuntamente por { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] , con el apoyo { $supporters_of }.
  }
functions = El MCIM describe así las funciones de la secretaría: { $quote }.
governing = Los documentos de gobernanza de este MCIM son los siguientes: { $documents }.
knowledge = Sobre la gestión del conocimiento, el MCIM señala: { $quote }.
channels = { $name } { $name_number ->
    [plural] mantienen
   *[singular] mantiene
  } informados a sus miembros por los siguientes medios: { $channels }.
members = { $observers ->
    [0] { $name } { $name_number ->
        [plural] cuentan
       *[singular] cuenta
      } con { $count } Estados miembros.
    [one] { $name } { $name_number ->
        [plural] cuentan
       *[singular] cuenta
      } con { $count } Estados miembros y un observador.
   *[other] { $name } { $name_number ->
        [plural] cuentan
       *[singular] cuenta
      } con { $count } Estados miembros y { $observers } observadores.
  }
changes = Desde su creación, la composición { $of_name } ha cambiado: { $changes }.
# Un tipo de cambio y los Estados a los que afecta ($states); $replaced: el Estado sustituido
# ($replaced_to: «a Malta», «al Reino Unido»).
membership-change = { $change_code ->
    [joined] { $states } { $states_number ->
        [plural] se incorporaron
       *[singular] se incorporó
      } al mecanismo
    [left] { $states } { $states_number ->
        [plural] se retiraron
       *[singular] se retiró
      } del mecanismo
    [observer] { $states } { $states_number ->
        [plural] obtuvieron
       *[singular] obtuvo
      } la condición de observador
    [steering_joined] { $states } { $states_number ->
        [plural] ingresaron
       *[singular] ingresó
      } en el comité directivo
    [steering_replaced] { $states } { $states_number ->
        [plural] sustituyeron
       *[singular] sustituyó
      } { $replaced_count ->
        [0] a otro miembro
       *[other] { $replaced_to }
      } en el comité directivo
   *[other] un cambio afectó a { $states }: { $change }
  }
funding = { $name } { $name_number ->
    [plural] se financian
   *[singular] se financia
  } { $sources_count ->
    [one] con la siguiente fuente
   *[other] con las siguientes fuentes
  }: { $sources }.
funding-stability = { $stability_code ->
    [stable] Sus fuentes de financiación son estables.
    [mostly_stable] Sus fuentes de financiación son mayormente estables.
    [mostly_unstable] Sus fuentes de financiación son mayormente inestables.
    [unstable] Sus fuentes de financiación son inestables.
   *[other] Se desconoce la estabilidad de su financiación.
  }

## 4. Modelos de alianza

partner-iscms = { $name } { $name_number ->
    [plural] colaboran
   *[singular] colabora
  } estrechamente con { $iscms }.
partner-example = El MCIM describe así su cooperación con { $partner }: { $quote }.
partner-igos = { $name } { $name_number ->
    [plural] cooperan
   *[singular] coopera
  } con organizaciones intergubernamentales: { $igos }.
igos-in-role = { $igos } { $role_code ->
    [technical_advice] { $igos_number ->
        [plural] prestan
       *[singular] presta
      } asesoramiento técnico
    [co_implementer] { $igos_number ->
        [plural] coejecutan
       *[singular] coejecuta
      } proyectos
    [secretariat_support] { $igos_number ->
        [plural] apoyan
       *[singular] apoya
      } a la secretaría
    [funding] { $igos_number ->
        [plural] contribuyen
       *[singular] contribuye
      } a su financiación
    [observer] { $igos_number ->
        [plural] participan
       *[singular] participa
      } en calidad de observador
   *[other] { $igos_number ->
        [plural] desempeñan
       *[singular] desempeña
      } la siguiente función: { $role }
  }
civil-society = { $participation_code ->
    [regular] Las organizaciones no gubernamentales (ONG) y las organizaciones de la sociedad civil participan con regularidad en su labor.
    [occasional] Las organizaciones no gubernamentales (ONG) y las organizaciones de la sociedad civil participan ocasionalmente en su labor.
   *[other] Las organizaciones no gubernamentales (ONG) y las organizaciones de la sociedad civil no participan en su labor.
  }
civil-society-details = El MCIM describe así su participación: { $quote }.
regional-bodies = Sobre sus vínculos con los organismos regionales, el MCIM señala: { $quote }.
igos-referred = { $count ->
    [one] Una organización intergubernamental se refirió { $to_name } en sus respuestas: { $names }.
   *[other] { count-lead }{ $count_word } organizaciones intergubernamentales se refirieron { $to_name } en sus respuestas: { $names }.
  }
igo-voice = { $who } { $role_code ->
    [secretariat_support] apoya a su secretaría
    [technical_advice] { iscm-to-it } presta asesoramiento técnico
    [funding] contribuye a su financiación
    [co_implementer] coejecuta proyectos con { iscm-it }
    [observer] participa en { iscm-it } en calidad de observador
   *[other] colabora con { iscm-it } ({ $role })
  }{ $since_count ->
    [0] .
   *[other] {" "}(desde { $since }).
  }
igo-example = { $who } da el siguiente ejemplo: { $quote }.

## 5. Valor añadido de la participación

member-value = Según el MCIM, los Estados miembros valoran su participación por los siguientes aspectos: { $areas }.
member-value-examples = El MCIM da los siguientes ejemplos: { $quote }.
challenges = El MCIM señala los siguientes desafíos: { $quote }.
recommendations = Para reforzar su participación, el MCIM propone: { $quote }.
states-referred = { $count ->
    [one] { $members ->
        [all] Uno de los Estados miembros encuestados ({ $names }) se refirió { $to_name } en sus respuestas.
       *[other] Uno de los Estados encuestados ({ $names }) se refirió { $to_name } en sus respuestas.
      }
   *[other] { $members ->
        [all] { count-lead }{ $count_word } de los Estados miembros encuestados ({ $names }) se refirieron { $to_name } en sus respuestas.
       *[other] { count-lead }{ $count_word } de los Estados encuestados ({ $names }) se refirieron { $to_name } en sus respuestas.
      }
  }
states-none = Ninguno de los Estados encuestados se refirió { $to_name } en sus respuestas.
state-values = { $who }, { $role_code ->
    [chair] { $who_number ->
        [plural] que ocupan
       *[singular] que ocupa
      } actualmente la presidencia
    [co_chair] { $who_number ->
        [plural] que ocupan
       *[singular] que ocupa
      } actualmente la copresidencia
   *[other] { $status_code ->
        [observer] { $who_number ->
            [plural] que tienen
           *[singular] que tiene
          } la condición de observador
       *[member] { $since_count ->
            [0] { $who_number ->
                [plural] que son miembros
               *[singular] que es miembro
              }
           *[other] { $who_number ->
                [plural] miembros
               *[singular] miembro
              }
          }
      }
  }{ $since_count ->
    [0] {""}
   *[other] {" "}desde { $since }
  }, { $areas_count ->
    [0] no { $who_number ->
        [plural] consideraron
       *[singular] consideró
      } valioso ningún aspecto de su participación.
   *[other] { $who_number ->
        [plural] valoran
       *[singular] valora
      } sobre todo su participación por los siguientes aspectos: { $areas }.
  }
state-example = { $who } { $who_number ->
    [plural] dieron
   *[singular] dio
  } el siguiente ejemplo: { $quote }.
