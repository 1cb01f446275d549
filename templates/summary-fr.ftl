# Phrases des projets de « Synthèse des conclusions par MCIM », en français (syntaxe Project
# Fluent : https://projectfluent.org/fluent/guide/). Quelle phrase est dite, quand et avec quelles
# réponses : voir summary.yaml. Les réponses en texte libre arrivent déjà entre guillemets et ne
# sont jamais réécrites.

## En-tête du document

organization = Organisation internationale pour les migrations (OIM)
division = Division des partenariats internationaux (IPD)
title = Synthèse des conclusions par MCIM
all-title = Synthèses des conclusions pour tous les MCIM
purpose = Dans le cadre d'une évaluation des mécanismes de consultation inter-États sur la migration (MCIM), une enquête a été menée en { $year }. Réalisée par l'OIM auprès des MCIM, de leurs États membres et des organisations intergouvernementales concernées, elle visait à évaluer la pertinence des MCIM, leur contribution à la gouvernance des migrations à tous les niveaux (national, régional et international) et les synergies entre MCIM et avec d'autres acteurs.
counts = { $state } États, { $iscm } MCIM et { $igo } organisations intergouvernementales ont répondu aux questionnaires.
outline = Les informations ci-dessous présentent les priorités thématiques, la structure, l'impact et la pertinence du MCIM, tels qu'ils ressortent des réponses.
draft-note = Projet établi à partir des réponses aux questionnaires. Les citations reprennent les mots des répondants ; les passages surlignés demandent l'attention de la rédaction.
name-line = Nom du mécanisme de consultation inter-États (MCIM) :{" "}
missing-iscm = Le MCIM n'a pas répondu au questionnaire. Cette synthèse repose sur ce que les États et les organisations intergouvernementales en ont dit.
missing-section = Le MCIM n'a pas répondu à cette section.

## Mots

quote = « { $text } »
iscm-name = le MCIM { $short }
iscm-of-name = du MCIM { $short }
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
generic-answer = { $question } { $answer }

## Réponses qu'un libellé ne suffit pas à dire dans une phrase (LISTE-CODE)

work_plan_cycles-annual = sur une base annuelle
work_plan_cycles-chairmanship = pour la durée de chaque présidence
work_plan_cycles-multi_annual = sur une base pluriannuelle
chair_holders-one_state = un seul État à la fois
chair_holders-co_chairs = deux États ou plus conjointement (coprésidence)
chair_holders-organization = une organisation
chair_selections-rotation = par rotation entre ses membres
chair_selections-election = élue par ses membres
chair_selections-permanent = à titre permanent
secretariat_types-political_technical = un secrétariat politique et technique
secretariat_types-political = un secrétariat politique
secretariat_types-technical = un secrétariat technique
igos-auc = la Commission de l'Union africaine
igos-ec = la Commission européenne

## 1. Programmation et priorités thématiques

mandate = Le mandat initial { $of_name } couvrait les domaines suivants : { $areas }.
priorities = Ses priorités thématiques sont aujourd'hui les suivantes : { $areas }.
strategy-no = { $name } ne dispose pas de stratégie formalisée.
strategy-yes = { $period_count ->
    [0] { $name } dispose d'une stratégie formalisée.
   *[other] { $name } dispose d'une stratégie formalisée, qui couvre la période { $period }.
  }
guiding = { $year_count ->
    [0] Le principal document qui oriente les actions et les priorités { $of_name } est le document suivant : { $document }.
   *[other] Le principal document qui oriente les actions et les priorités { $of_name } est le document suivant : { $document }, adopté en { $year }.
  }
work-plan = Les travaux { $of_name } sont mis en œuvre et suivis selon son plan de travail, élaboré { $plans }.
work-plan-none = { $name } n'a pas de plan de travail.
monitoring = { $actors_count ->
    [one] Le suivi est assuré par { $actors }.
   *[other] Le suivi est assuré conjointement par { $actors }.
  }
monitoring-none = La mise en œuvre du plan de travail ne fait pas l'objet d'un suivi.
evolution = Le MCIM décrit ainsi l'évolution de ses priorités thématiques : { $quote }

## 2. Contribution à la gouvernance des migrations

activities = { $name } contribue à la gouvernance des migrations par les activités suivantes : { $activities }.
national = Niveau national : { $quote }
regional = Niveau (inter)régional : { $quote }
global = Niveau mondial : { $quote }
joint-monitoring = { $name } assure le suivi d'un plan d'action conjointement avec d'autres MCIM : { $quote }

## 3. Structures

structures = Les structures { $of_name } comprennent { $parts }.
steering-committee = un comité de pilotage
# Qui assure la présidence ($holder, vide pour une réponse de la version 1) et comment elle est désignée ($selection).
chair = { $holder_count ->
    [0] { $selection_code ->
        [rotation] La présidence { $of_name } est assurée par rotation entre ses membres.
        [election] La présidence { $of_name } est élue par ses membres.
        [permanent] La présidence { $of_name } est assurée à titre permanent.
       *[other] La présidence { $of_name } est désignée comme suit : { $selection }.
      }
   *[other] La présidence { $of_name } est assurée par { $holder }, { $selection }.
  }
chair-held = La présidence { $of_name } : { $holder }.
chair-none = { $name } n'a pas de présidence.
steering-members = Comité de pilotage : { $quote }
secretariat = { $managed_count ->
    [one] Le secrétariat est géré par { $managed }
   *[other] Le secrétariat est géré conjointement par { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] , avec l'appui de { $supporters }.
  }
functions = Ses fonctions comprennent : { $quote }
governing = Les documents de gouvernance de ce MCIM sont les suivants : { $documents }.
knowledge = Gestion des connaissances : { $quote }
channels = { $name } tient ses membres informés par les moyens suivants : { $channels }.
members = { $observers ->
    [0] { $name } compte { $count } États membres.
    [one] { $name } compte { $count } États membres et un observateur.
   *[other] { $name } compte { $count } États membres et { $observers } observateurs.
  }
changes = Depuis sa création, la composition { $of_name } a évolué : { $changes }.
membership-change = { $change_code ->
    [joined] { $states_count ->
        [one] { $states } a rejoint le processus
       *[other] { $states } ont rejoint le processus
      }
    [left] { $states_count ->
        [one] { $states } s'est retiré
       *[other] { $states } se sont retirés
      }
    [observer] { $states_count ->
        [one] { $states } est devenu observateur
       *[other] { $states } sont devenus observateurs
      }
    [steering_joined] { $states_count ->
        [one] { $states } est entré au comité de pilotage
       *[other] { $states } sont entrés au comité de pilotage
      }
    [steering_replaced] { $states } a remplacé { $replaced } au comité de pilotage
   *[other] { $states } : { $change }
  }
funding = { $name } est financé par les sources suivantes : { $sources }.
funding-stability = { $stability_code ->
    [stable] Ses sources de financement sont stables.
    [mostly_stable] Ses sources de financement sont plutôt stables.
    [mostly_unstable] Ses sources de financement sont plutôt instables.
    [unstable] Ses sources de financement sont instables.
   *[other] La stabilité de son financement n'est pas connue.
  }

## 4. Modèles de partenariat

partner-iscms = { $name } travaille en étroite collaboration avec les MCIM suivants : { $iscms }.
partner-example = { $partner } : { $quote }
partner-igos = { $name } coopère avec des organisations intergouvernementales : { $igos }.
igos-in-role = { $igos } ({ $role })
civil-society = { $participation_code ->
    [regular] Les ONG et les organisations de la société civile participent régulièrement à ses travaux.
    [occasional] Les ONG et les organisations de la société civile participent occasionnellement à ses travaux.
   *[other] Les ONG et les organisations de la société civile ne participent pas à ses travaux.
  }
quote-alone = { $quote }
regional-bodies = Liens avec les organismes régionaux : { $quote }
igos-referred = { $count ->
    [one] Une organisation intergouvernementale ({ $names }) a mentionné { $name } dans ses réponses.
   *[other] { $count_word } organisations intergouvernementales ({ $names }) ont mentionné { $name } dans leurs réponses.
  }
igo-voice = { $since_count ->
    [0] { $who } : { $role }.
   *[other] { $who } : { $role } ({ $since }).
  }

## 5. Valeur ajoutée de la participation

member-value = Selon le MCIM, les États membres apprécient leur participation pour les aspects suivants : { $areas }.
challenges = Difficultés signalées par le MCIM : { $quote }
recommendations = Pour renforcer son engagement, le MCIM propose : { $quote }
states-referred = { $count ->
    [one] Un des États membres interrogés ({ $names }) a mentionné { $name } dans ses réponses.
   *[other] { $count_word } des États membres interrogés ({ $names }) ont mentionné { $name } dans leurs réponses.
  }
states-none = Aucun des États interrogés n'a mentionné { $name } dans ses réponses.
state-values = { $who } l'apprécie surtout pour les aspects suivants : { $areas }.
state-example = { $who } : { $quote }
