# Frases de los borradores del «Resumen de las conclusiones por MCIM», en español (sintaxis
# Project Fluent: https://projectfluent.org/fluent/guide/). Qué frase se dice, cuándo y con qué
# respuestas: véase summary.yaml. Las respuestas de texto libre llegan ya entre comillas y nunca
# se reescriben.

## Encabezado del documento

organization = Organización Internacional para las Migraciones (OIM)
division = División de Asociaciones Internacionales (IPD)
title = Resumen de las conclusiones por MCIM
all-title = Resúmenes de las conclusiones de todos los MCIM
purpose = En el marco de una evaluación de los mecanismos de consulta interestatales sobre migración (MCIM), se realizó una encuesta en { $year }. Llevada a cabo por la OIM entre los MCIM, sus Estados miembros y las organizaciones intergubernamentales pertinentes, la encuesta tenía por objeto evaluar la pertinencia de los MCIM, su contribución a la gobernanza de la migración a todos los niveles (nacional, regional e internacional) y las sinergias entre los MCIM y con otros actores.
counts = { $state } Estados, { $iscm } MCIM y { $igo } organizaciones intergubernamentales respondieron a los cuestionarios.
outline = La información que figura a continuación presenta las prioridades temáticas, la estructura, el impacto y la pertinencia del MCIM, según se desprende de las respuestas.
draft-note = Borrador elaborado a partir de las respuestas a los cuestionarios. Las citas son palabras de los encuestados; los pasajes resaltados requieren la atención de la redacción.
name-line = Nombre del mecanismo de consulta interestatal (MCIM):{" "}
missing-iscm = El MCIM no respondió al cuestionario. Este resumen se basa en lo que los Estados y las organizaciones intergubernamentales dijeron de él.
missing-section = El MCIM no respondió a esta sección.

## Palabras

quote = «{ $text }»
iscm-name = el MCIM { $short }
iscm-of-name = del MCIM { $short }
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
generic-answer = { $question } { $answer }

## Respuestas que una etiqueta no basta para decir en una frase (LISTA-CÓDIGO)

work_plan_cycles-annual = con carácter anual
work_plan_cycles-chairmanship = para la duración de cada presidencia
work_plan_cycles-multi_annual = con carácter plurianual
chair_holders-one_state = un solo Estado a la vez
chair_holders-co_chairs = dos o más Estados conjuntamente (copresidencia)
chair_holders-organization = una organización
chair_selections-rotation = por rotación entre sus miembros
chair_selections-election = elegida por sus miembros
chair_selections-permanent = con carácter permanente
secretariat_types-political_technical = una secretaría política y técnica
secretariat_types-political = una secretaría política
secretariat_types-technical = una secretaría técnica
igos-auc = la Comisión de la Unión Africana
igos-ec = la Comisión Europea

## 1. Programación y prioridades temáticas

mandate = El mandato original { $of_name } abarcaba los siguientes ámbitos: { $areas }.
priorities = Sus prioridades temáticas son hoy las siguientes: { $areas }.
strategy-no = { $name } no cuenta con una estrategia formalizada.
strategy-yes = { $period_count ->
    [0] { $name } cuenta con una estrategia formalizada.
   *[other] { $name } cuenta con una estrategia formalizada, que abarca el período { $period }.
  }
guiding = { $year_count ->
    [0] El principal documento que orienta las acciones y prioridades { $of_name } es el siguiente: { $document }.
   *[other] El principal documento que orienta las acciones y prioridades { $of_name } es el siguiente: { $document }, adoptado en { $year }.
  }
work-plan = El trabajo { $of_name } se ejecuta y se supervisa según su plan de trabajo, que se elabora { $plans }.
work-plan-none = { $name } no tiene plan de trabajo.
monitoring = { $actors_count ->
    [one] El seguimiento está a cargo de { $actors }.
   *[other] El seguimiento está a cargo, de forma conjunta, de { $actors }.
  }
monitoring-none = No se hace un seguimiento de la ejecución del plan de trabajo.
evolution = El MCIM describe así la evolución de sus prioridades temáticas: { $quote }

## 2. Contribución a la gobernanza de la migración

activities = { $name } contribuye a la gobernanza de la migración mediante las siguientes actividades: { $activities }.
national = Nivel nacional: { $quote }
regional = Nivel (inter)regional: { $quote }
global = Nivel mundial: { $quote }
joint-monitoring = { $name } hace el seguimiento de un plan de acción junto con otros MCIM: { $quote }

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
   *[other] La presidencia { $of_name } la ejerce { $holder }, { $selection }.
  }
chair-held = La presidencia { $of_name }: { $holder }.
chair-none = { $name } no tiene presidencia.
steering-members = Comité directivo: { $quote }
secretariat = { $managed_count ->
    [one] La secretaría está gestionada por { $managed }
   *[other] La secretaría está gestionada conjuntamente por { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] , con el apoyo de { $supporters }.
  }
functions = Sus funciones incluyen: { $quote }
governing = Los documentos de gobernanza de este MCIM son los siguientes: { $documents }.
knowledge = Gestión del conocimiento: { $quote }
channels = { $name } mantiene informados a sus miembros por los siguientes medios: { $channels }.
members = { $observers ->
    [0] { $name } cuenta con { $count } Estados miembros.
    [one] { $name } cuenta con { $count } Estados miembros y un observador.
   *[other] { $name } cuenta con { $count } Estados miembros y { $observers } observadores.
  }
changes = Desde su creación, la composición { $of_name } ha cambiado: { $changes }.
membership-change = { $change_code ->
    [joined] { $states_count ->
        [one] { $states } se incorporó
       *[other] { $states } se incorporaron
      }
    [left] { $states_count ->
        [one] { $states } se retiró
       *[other] { $states } se retiraron
      }
    [observer] { $states_count ->
        [one] { $states } pasó a ser observador
       *[other] { $states } pasaron a ser observadores
      }
    [steering_joined] { $states_count ->
        [one] { $states } ingresó en el comité directivo
       *[other] { $states } ingresaron en el comité directivo
      }
    [steering_replaced] { $states } sustituyó a { $replaced } en el comité directivo
   *[other] { $states }: { $change }
  }
funding = { $name } se financia con las siguientes fuentes: { $sources }.
funding-stability = { $stability_code ->
    [stable] Sus fuentes de financiación son estables.
    [mostly_stable] Sus fuentes de financiación son mayormente estables.
    [mostly_unstable] Sus fuentes de financiación son mayormente inestables.
    [unstable] Sus fuentes de financiación son inestables.
   *[other] Se desconoce la estabilidad de su financiación.
  }

## 4. Modelos de asociación

partner-iscms = { $name } colabora estrechamente con los siguientes MCIM: { $iscms }.
partner-example = { $partner }: { $quote }
partner-igos = { $name } coopera con organizaciones intergubernamentales: { $igos }.
igos-in-role = { $igos } ({ $role })
civil-society = { $participation_code ->
    [regular] Las ONG y las organizaciones de la sociedad civil participan con regularidad en su trabajo.
    [occasional] Las ONG y las organizaciones de la sociedad civil participan ocasionalmente en su trabajo.
   *[other] Las ONG y las organizaciones de la sociedad civil no participan en su trabajo.
  }
quote-alone = { $quote }
regional-bodies = Vínculos con los organismos regionales: { $quote }
igos-referred = { $count ->
    [one] Una organización intergubernamental ({ $names }) mencionó { $name } en sus respuestas.
   *[other] { $count_word } organizaciones intergubernamentales ({ $names }) mencionaron { $name } en sus respuestas.
  }
igo-voice = { $since_count ->
    [0] { $who }: { $role }.
   *[other] { $who }: { $role } ({ $since }).
  }

## 5. Valor añadido de la participación

member-value = Según el MCIM, los Estados miembros valoran su participación por los siguientes aspectos: { $areas }.
challenges = Desafíos señalados por el MCIM: { $quote }
recommendations = Para reforzar su participación, el MCIM propone: { $quote }
states-referred = { $count ->
    [one] Uno de los Estados miembros encuestados ({ $names }) mencionó { $name } en sus respuestas.
   *[other] { $count_word } de los Estados miembros encuestados ({ $names }) mencionaron { $name } en sus respuestas.
  }
states-none = Ninguno de los Estados encuestados mencionó { $name } en sus respuestas.
state-values = { $who } lo valora sobre todo por los siguientes aspectos: { $areas }.
state-example = { $who }: { $quote }
