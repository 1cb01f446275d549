# Phrases des projets de « Synthèse des conclusions par MCIM », en français (syntaxe Project
# Fluent : https://projectfluent.org/fluent/guide/). Quelle phrase est dite, quand et avec quelles
# réponses : voir summary.yaml. Les États, MCIM et organisations arrivent avec leur article
# (« les Pays-Bas »), et aussi en NOM_of (« des Pays-Bas »), NOM_to (« aux Pays-Bas »), NOM_bare,
# NOM_gender (m, f) et NOM_number (singular, plural) pour les accords : leur grammaire est dans
# schemas/. Les réponses en texte libre arrivent déjà entre guillemets et ne sont jamais
# réécrites. Espaces insécables (U+00A0) avant « : » et dans les guillemets.

## En-tête du document

organization = Organisation internationale pour les migrations (OIM)
division = Division des partenariats internationaux
title = Synthèse des conclusions par MCIM
all-title = Synthèses des conclusions pour tous les MCIM
purpose = Dans le cadre d'une évaluation des mécanismes de consultation inter-États sur la migration (MCIM), une enquête a été menée en { $year }. Réalisée par l'OIM auprès des MCIM, de leurs États membres et des organisations intergouvernementales concernées, elle visait à évaluer la pertinence des MCIM, leur contribution à la gouvernance des migrations à tous les niveaux (national, régional et international) et les synergies entre MCIM et avec d'autres acteurs.
counts = Au total, { $state ->
    [one] { $state } État
   *[other] { $state } États
  }, { $iscm } MCIM et { $igo ->
    [0] aucune organisation intergouvernementale
    [one] { $igo } organisation intergouvernementale
   *[other] { $igo } organisations intergouvernementales
  } ont répondu aux questionnaires.
outline = Les informations ci-dessous présentent les priorités thématiques, la structure, l'impact et la pertinence du MCIM, tels qu'ils ressortent des réponses.
draft-note = Projet établi à partir des réponses aux questionnaires. Les citations reprennent les mots des répondants ; les passages surlignés demandent l'attention de la rédaction.
name-line = Nom du mécanisme de consultation inter-États sur la migration (MCIM) :{" "}
name-line-name = { $full } ({ $short })
missing-iscm = { $name } { $name_number ->
    [plural] n'ont
   *[singular] n'a
  } pas répondu au questionnaire. Cette synthèse repose sur ce qu'en ont dit les États et les organisations intergouvernementales.
missing-section = { $name } { $name_number ->
    [plural] n'ont
   *[singular] n'a
  } pas répondu à cette section.
missing-iscm-invalid = Le questionnaire renvoyé par { $name } a été reçu mais n'est pas valide : il doit être corrigé (la copie annotée indique ce qu'il faut corriger) avant que { iscm-its } réponses puissent être utilisées. Cette synthèse repose sur ce qu'en ont dit les États et les organisations intergouvernementales.
missing-iscm-rejected = Un fichier a été reçu { $of_name }, mais il est illisible ; il doit être renvoyé. Cette synthèse repose sur ce qu'en ont dit les États et les organisations intergouvernementales.
missing-iscm-conflicting = { $name } { $name_number ->
    [plural] ont
   *[singular] a
  } envoyé plusieurs questionnaires qui ne peuvent pas être départagés (même date et même heure d'achèvement) ; aucun n'est utilisé tant que l'un d'eux n'a pas été retenu. Cette synthèse repose sur ce qu'en ont dit les États et les organisations intergouvernementales.
missing-section-pending = Les réponses { $of_name } à cette section ne sont pas utilisées tant qu'un questionnaire valide n'a pas été reçu.
page-header = Projet à réviser – ne pas diffuser
page-footer = Page

## Mots

quote = « { $text } »
translation-needed = Traduction nécessaire : le répondant a écrit en { $language }. Conserver l'original jusqu'à la vérification de la traduction.
language-en = anglais
language-fr = français
language-es = espagnol
# Un État, un MCIM ou une organisation ($name) selon son article ($article : le, la, l (l'), les,
# none) ; $elision : « de » s'élide devant un nom sans article (d'Israël).
name-the = { $article ->
    [le] le { $name }
    [la] la { $name }
    [l] l'{ $name }
    [les] les { $name }
   *[none] { $name }
  }
name-of = { $article ->
    [le] du { $name }
    [la] de la { $name }
    [l] de l'{ $name }
    [les] des { $name }
   *[none] { $elision ->
        [yes] d'{ $name }
       *[no] de { $name }
      }
  }
name-to = { $article ->
    [le] au { $name }
    [la] à la { $name }
    [l] à l'{ $name }
    [les] aux { $name }
   *[none] à { $name }
  }
name-bare = { $name }
name-spelled-out = { $spelled } ({ $acronym })
number-word = { $n ->
    [0] zéro
    [1] un
    [2] deux
    [3] trois
    [4] quatre
    [5] cinq
    [6] six
    [7] sept
    [8] huit
    [9] neuf
    [10] dix
    [11] onze
    [12] douze
   *[other] { $n }
  }
# Une phrase ne commence pas par un nombre en chiffres : « Au total, 13 des États... », mais « Trois des... ».
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
   *[other] Au total,{" "}
  }
generic-answer = { $question } { $answer }
# Le MCIM dont parle le projet, repris par un possessif ou un pronom : « ses priorités » mais
# « leurs priorités » pour les Consultations Asie-Pacifique ($name_number, $name_gender).
iscm-its = { $name_number ->
    [plural] leurs
   *[singular] ses
  }
iscm-its-one = { $name_number ->
    [plural] leur
   *[singular] son
  }
iscm-its-one-f = { $name_number ->
    [plural] leur
   *[singular] sa
  }
iscm-to-it = { $name_number ->
    [plural] leur
   *[singular] lui
  }
iscm-with-it = { $name_number ->
    [plural] { $name_gender ->
        [f] elles
       *[m] eux
      }
   *[singular] { $name_gender ->
        [f] elle
       *[m] lui
      }
  }

## Réponses qu'un libellé ne suffit pas à dire dans une phrase (LISTE-CODE)

work_plan_cycles-annual = sur une base annuelle
work_plan_cycles-chairmanship = pour la durée de chaque présidence
work_plan_cycles-multi_annual = sur une base pluriannuelle
chair_holders-one_state = un seul État à la fois
chair_holders-co_chairs = deux États ou plus conjointement (coprésidence)
chair_holders-organization = une organisation
chair_selections-rotation = par rotation entre les membres
chair_selections-election = par voie d'élection
chair_selections-permanent = à titre permanent
secretariat_types-political_technical = un secrétariat politique et technique
secretariat_types-political = un secrétariat politique
secretariat_types-technical = un secrétariat technique

## 1. Programmation et priorités thématiques

mandate = Le mandat initial { $of_name } couvrait les domaines suivants : { $areas }.
priorities = { iscm-its } priorités thématiques sont aujourd'hui les suivantes : { $areas }.
strategy-no = { $name } { $name_number ->
    [plural] ne disposent
   *[singular] ne dispose
  } pas de stratégie formalisée.
strategy-yes = { $period_count ->
    [0] { $name } { $name_number ->
        [plural] disposent
       *[singular] dispose
      } d'une stratégie formalisée.
   *[other] { $name } { $name_number ->
        [plural] disposent
       *[singular] dispose
      } d'une stratégie formalisée, qui couvre la période { $period }.
  }
guiding = { $year_count ->
    [0] Le principal document qui oriente { iscm-its } actions et { iscm-its } priorités s'intitule { $document }.
   *[other] Le principal document qui oriente { iscm-its } actions et { iscm-its } priorités, adopté en { $year }, s'intitule { $document }.
  }
work-plan = Les travaux { $of_name } sont mis en œuvre et suivis selon { iscm-its-one } plan de travail, élaboré { $plans }.
work-plan-none = { $name } { $name_number ->
    [plural] n'ont
   *[singular] n'a
  } pas de plan de travail.
monitoring = { $actors_count ->
    [one] Le suivi est assuré par { $actors }.
   *[other] Le suivi est assuré conjointement par { $actors }.
  }
monitoring-none = La mise en œuvre du plan de travail ne fait pas l'objet d'un suivi.
evolution = Le MCIM décrit ainsi l'évolution de ses priorités thématiques : { $quote }.

## 2. Contribution à la gouvernance des migrations

activities = { $name } { $name_number ->
    [plural] contribuent
   *[singular] contribue
  } à la gouvernance des migrations par les activités suivantes : { $activities }.
national = Le MCIM décrit ainsi sa contribution au niveau national : { $quote }.
regional = Le MCIM décrit ainsi sa contribution au niveau (inter)régional : { $quote }.
global = Le MCIM décrit ainsi sa contribution au niveau mondial : { $quote }.
joint-monitoring = Au niveau (inter)régional, le MCIM indique qu'il assure le suivi d'un plan d'action conjointement avec d'autres MCIM : { $quote }.

## 3. Structures

structures = Les structures { $of_name } comprennent { $parts }.
steering-committee = un comité de pilotage
# Qui assure la présidence ($holder, vide pour une réponse de la version 1) et comment elle est désignée ($selection).
chair = { $holder_count ->
    [0] { $selection_code ->
        [rotation] La présidence { $of_name } est assurée par rotation entre { iscm-its } membres.
        [election] La présidence { $of_name } est élue par { iscm-its } membres.
        [permanent] La présidence { $of_name } est assurée à titre permanent.
       *[other] La présidence { $of_name } est désignée comme suit : { $selection }.
      }
   *[other] La présidence { $of_name } est assurée par { $holder }, { $selection }.
  }
chair-held = La présidence { $of_name } est assurée par { $holder }.
chair-none = { $name } { $name_number ->
    [plural] n'ont
   *[singular] n'a
  } pas de présidence.
steering-members = Le MCIM décrit ainsi la composition de son comité de pilotage : { $quote }.
secretariat = { $managed_count ->
    [one] Le secrétariat est géré par { $managed }
   *[other] Le secrétariat est géré conjointement par { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] , avec l'appui { $supporters_of }.
  }
functions = Le MCIM décrit ainsi les fonctions du secrétariat : { $quote }.
governing = Les documents de gouvernance de ce MCIM sont les suivants : { $documents }.
knowledge = Sur la gestion des connaissances, le MCIM indique : { $quote }.
channels = { $name } { $name_number ->
    [plural] tiennent
   *[singular] tient
  } { iscm-its } membres informés par les moyens suivants : { $channels }.
members = { $observers ->
    [0] { $name } { $name_number ->
        [plural] comptent
       *[singular] compte
      } { $count } États membres.
    [one] { $name } { $name_number ->
        [plural] comptent
       *[singular] compte
      } { $count } États membres et un observateur.
   *[other] { $name } { $name_number ->
        [plural] comptent
       *[singular] compte
      } { $count } États membres et { $observers } observateurs.
  }
changes = Depuis { iscm-its-one-f } création, la composition { $of_name } a évolué : { $changes }.
# Un type de changement et les États concernés ($states) ; $replaced : l'État remplacé.
membership-change = { $change_code ->
    [joined] { $states } { $states_number ->
        [plural] ont rejoint
       *[singular] a rejoint
      } le mécanisme
    [left] { $states } { $states_number ->
        [plural] ont quitté
       *[singular] a quitté
      } le mécanisme
    [observer] { $states } { $states_number ->
        [plural] ont obtenu
       *[singular] a obtenu
      } le statut d'observateur
    [steering_joined] { $states } { $states_number ->
        [plural] { $states_gender ->
            [f] sont entrées
           *[m] sont entrés
          }
       *[singular] { $states_gender ->
            [f] est entrée
           *[m] est entré
          }
      } au comité de pilotage
    [steering_replaced] { $states } { $states_number ->
        [plural] ont remplacé
       *[singular] a remplacé
      } { $replaced_count ->
        [0] un autre membre
       *[other] { $replaced }
      } au comité de pilotage
   *[other] un changement a concerné { $states } : { $change }
  }
funding = { $name } { $name_number ->
    [plural] { $name_gender ->
        [f] sont financées
       *[m] sont financés
      }
   *[singular] { $name_gender ->
        [f] est financée
       *[m] est financé
      }
  } { $sources_count ->
    [one] par la source suivante
   *[other] par les sources suivantes
  } : { $sources }.
funding-stability = { $stability_code ->
    [stable] { iscm-its } sources de financement sont stables.
    [mostly_stable] { iscm-its } sources de financement sont plutôt stables.
    [mostly_unstable] { iscm-its } sources de financement sont plutôt instables.
    [unstable] { iscm-its } sources de financement sont instables.
   *[other] La stabilité de { iscm-its-one } financement n'est pas connue.
  }

## 4. Modèles de partenariat

partner-iscms = { $name } { $name_number ->
    [plural] travaillent
   *[singular] travaille
  } en étroite collaboration avec { $iscms }.
partner-example = Le MCIM décrit ainsi sa coopération avec { $partner } : { $quote }.
partner-igos = { $name } { $name_number ->
    [plural] coopèrent
   *[singular] coopère
  } avec des organisations intergouvernementales : { $igos }.
igos-in-role = { $igos } { $role_code ->
    [technical_advice] { $igos_number ->
        [plural] fournissent
       *[singular] fournit
      } des conseils techniques
    [co_implementer] { $igos_number ->
        [plural] mettent
       *[singular] met
      } en œuvre des projets avec { iscm-with-it }
    [secretariat_support] { $igos_number ->
        [plural] appuient
       *[singular] appuie
      } le secrétariat
    [funding] { $igos_number ->
        [plural] contribuent
       *[singular] contribue
      } à { iscm-its-one } financement
    [observer] { $igos_number ->
        [plural] y participent
       *[singular] y participe
      } en tant qu'observateur
   *[other] { $igos_number ->
        [plural] jouent
       *[singular] joue
      } le rôle suivant : { $role }
  }
civil-society = { $participation_code ->
    [regular] Les organisations non gouvernementales (ONG) et les organisations de la société civile participent régulièrement à { iscm-its } travaux.
    [occasional] Les organisations non gouvernementales (ONG) et les organisations de la société civile participent occasionnellement à { iscm-its } travaux.
   *[other] Les organisations non gouvernementales (ONG) et les organisations de la société civile ne participent pas à { iscm-its } travaux.
  }
civil-society-details = Le MCIM décrit ainsi leur participation : { $quote }.
regional-bodies = Sur ses liens avec les organismes régionaux, le MCIM indique : { $quote }.
igos-referred = { $count ->
    [one] Une organisation intergouvernementale a mentionné { $name } dans ses réponses : { $names }.
   *[other] { count-lead }{ $count_word } organisations intergouvernementales ont mentionné { $name } dans leurs réponses : { $names }.
  }
igo-voice = { $who } { $role_code ->
    [secretariat_support] appuie { iscm-its-one } secrétariat
    [technical_advice] { iscm-to-it } fournit des conseils techniques
    [funding] contribue à { iscm-its-one } financement
    [co_implementer] met en œuvre des projets avec { iscm-with-it }
    [observer] y participe en tant qu'observateur
   *[other] travaille avec { iscm-with-it } ({ $role })
  }{ $since_count ->
    [0] .
   *[other] {" "}(depuis { $since }).
  }
igo-example = { $who } en donne l'exemple suivant : { $quote }.

## 5. Valeur ajoutée de la participation

member-value = Selon le MCIM, les États membres apprécient leur participation pour les aspects suivants : { $areas }.
member-value-examples = Le MCIM en donne les exemples suivants : { $quote }.
challenges = Le MCIM signale les difficultés suivantes : { $quote }.
recommendations = Pour renforcer son engagement, le MCIM propose : { $quote }.
states-referred = { $count ->
    [one] { $members ->
        [all] Un des États membres interrogés ({ $names }) a mentionné { $name } dans ses réponses.
       *[other] Un des États interrogés ({ $names }) a mentionné { $name } dans ses réponses.
      }
   *[other] { $members ->
        [all] { count-lead }{ $count_word } des États membres interrogés ({ $names }) ont mentionné { $name } dans leurs réponses.
       *[other] { count-lead }{ $count_word } des États interrogés ({ $names }) ont mentionné { $name } dans leurs réponses.
      }
  }
states-none = Aucun des États interrogés n'a mentionné { $name } dans ses réponses.
state-values = { $who }, { $role_code ->
    [chair] { $who_number ->
        [plural] qui en assurent
       *[singular] qui en assure
      } actuellement la présidence
    [co_chair] { $who_number ->
        [plural] qui en assurent
       *[singular] qui en assure
      } actuellement la coprésidence
   *[other] { $status_code ->
        [observer] { $who_number ->
            [plural] qui ont
           *[singular] qui a
          } le statut d'observateur
       *[member] { $since_count ->
            [0] { $who_number ->
                [plural] qui en sont membres
               *[singular] qui en est membre
              }
           *[other] { $who_number ->
                [plural] membres
               *[singular] membre
              }
          }
      }
  }{ $since_count ->
    [0] {""}
   *[other] {" "}depuis { $since }
  }, { $areas_count ->
    [0] { $who_number ->
        [plural] n'ont jugé
       *[singular] n'a jugé
      } utile aucun aspect de sa participation.
   *[other] { $who_number ->
        [plural] apprécient surtout leur
       *[singular] apprécie surtout sa
      } participation pour les aspects suivants : { $areas }.
  }
state-example = { $who } { $who_number ->
    [plural] ont donné
   *[singular] a donné
  } l'exemple suivant : { $quote }.
