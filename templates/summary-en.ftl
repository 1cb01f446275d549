# Sentences of the "Summary of Findings per ISCM" drafts, in English (Project Fluent syntax:
# https://projectfluent.org/fluent/guide/). Which sentence is said when, and with which answers,
# is in summary.yaml. Variables: $name ("the Khartoum Process"), $of_name, $short; those that
# summary.yaml gives each sentence, each also as NAME_count (how many) and NAME_code (the code of
# a choice). Free-text answers arrive already quoted: never rewritten.

## The document's header

organization = International Organization for Migration (IOM)
division = International Partnerships Division (IPD)
title = Summary of Findings per ISCM
all-title = Summaries of Findings for all ISCMs
purpose = As part of an assessment of inter-state consultation mechanisms on migration (ISCMs), a survey was conducted in { $year }. Carried out by IOM among ISCMs, their Member States and relevant inter-governmental organizations, the survey aimed to assess ISCMs' continued relevance and contribution to migration governance at all levels (national, regional and international) and the synergies among ISCMs and with other actors.
# $state, $iscm, $igo: how many returns of each questionnaire were used
counts = { $state } States and { $iscm } ISCMs and { $igo } inter-governmental organizations provided answers to the questionnaires.
outline = The information below outlines the ISCM's thematic priorities, structure, impact and relevance, as drawn from the answers.
draft-note = Draft assembled from the questionnaire returns. Quotations are the respondents' own words; highlighted passages need the editor's attention.
name-line = Name of the Inter-state consultation mechanism (ISCM):{" "}
missing-iscm = The ISCM did not answer the questionnaire. This summary is drawn from what States and inter-governmental organizations said about it.
missing-section = The ISCM did not answer this section.

## Words

quote = “{ $text }”
# An ISCM in a sentence: "the Khartoum Process", "MIDSA". $last is the last word of its short name.
iscm-name = { $last ->
    [Process] the { $short }
    [Dialogue] the { $short }
    [Consultations] the { $short }
    [Forum] the { $short }
    [Initiative] the { $short }
    [Conference] the { $short }
    [Community] the { $short }
   *[other] { $short }
  }
iscm-of-name = of { iscm-name }
number-word = { $n ->
    [0] zero
    [1] one
    [2] two
    [3] three
    [4] four
    [5] five
    [6] six
    [7] seven
    [8] eight
    [9] nine
    [10] ten
    [11] eleven
    [12] twelve
   *[other] { $n }
  }
# A question of a section that summary.yaml does not draft, and its answer.
generic-answer = { $question } { $answer }

## Choices that a label cannot give inside a sentence (LIST-CODE)

work_plan_cycles-annual = on an annual basis
work_plan_cycles-chairmanship = covering the timespan of the respective Chairmanships
work_plan_cycles-multi_annual = on a multi-annual basis
chair_holders-one_state = one State at a time
chair_holders-co_chairs = two or more States jointly (co-chairs)
chair_holders-organization = an organization
chair_selections-rotation = in rotation among its members
chair_selections-election = elected by its members
chair_selections-permanent = on a permanent basis
secretariat_types-political_technical = a political and technical secretariat
secretariat_types-political = a political secretariat
secretariat_types-technical = a technical secretariat
igos-auc = the African Union Commission
igos-ec = the European Commission

## 1. Programming and thematic focus

mandate = The original mandate { $of_name } covered { $areas }.
priorities = Its thematic priorities today are { $areas }.
strategy-no = { $name } does not have a formalized strategy.
strategy-yes = { $period_count ->
    [0] { $name } has a formalized strategy.
   *[other] { $name } has a formalized strategy, covering { $period }.
  }
guiding = { $year_count ->
    [0] The main document guiding the actions and priorities { $of_name } is { $document }.
   *[other] The main document guiding the actions and priorities { $of_name } is { $document }, adopted in { $year }.
  }
work-plan = The work { $of_name } is implemented and monitored according to its work plan, which is developed { $plans }.
work-plan-none = { $name } does not have a work plan.
monitoring = { $actors_count ->
    [one] The monitoring process is led by { $actors }.
   *[other] The monitoring process is led jointly by { $actors }.
  }
monitoring-none = The implementation of the work plan is not monitored.
evolution = The ISCM describes how its thematic focus evolved: { $quote }

## 2. Contribution to migration governance

activities = { $name } contributes to migration governance through { $activities }.
national = National level: { $quote }
regional = (Inter)regional level: { $quote }
global = Global level: { $quote }
joint-monitoring = { $name } monitors an action plan jointly with other ISCMs: { $quote }

## 3. Salient structures

structures = The structures { $of_name } comprise { $parts }.
steering-committee = a steering committee
# Who holds the chair ($holder, none for a return of version 1) and how it is chosen ($selection).
chair = { $holder_count ->
    [0] { $selection_code ->
        [rotation] The Chair { $of_name } rotates among its members.
        [election] The Chair { $of_name } is elected by its members.
        [permanent] The Chair { $of_name } is held on a permanent basis.
       *[other] The Chair { $of_name } is chosen as follows: { $selection }.
      }
   *[other] The Chair { $of_name } is held by { $holder }, { $selection }.
  }
chair-held = The Chair { $of_name }: { $holder }.
chair-none = { $name } has no Chair.
steering-members = Steering committee: { $quote }
secretariat = { $managed_count ->
    [one] The secretariat is managed by { $managed }
   *[other] The secretariat is jointly managed by { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] {" "}with support from { $supporters }.
  }
functions = Its functions include: { $quote }
governing = The governing documents of this ISCM consist of { $documents }.
knowledge = Knowledge management: { $quote }
channels = { $name } keeps its members informed through { $channels }.
members = { $observers ->
    [0] { $name } has { $count } Member States.
    [one] { $name } has { $count } Member States and one observer.
   *[other] { $name } has { $count } Member States and { $observers } observers.
  }
changes = Since its establishment, the constituency { $of_name } changed: { $changes }.
# One kind of change and the States it concerns ($states, $states_count); $replaced: the State replaced.
membership-change = { $change_code ->
    [joined] { $states } joined
    [left] { $states } left
    [observer] { $states } became observers
    [steering_joined] { $states } joined the steering committee
    [steering_replaced] { $states } replaced { $replaced } in the steering committee
   *[other] { $states }: { $change }
  }
funding = { $name } is funded through { $sources }.
funding-stability = { $stability_code ->
    [stable] Its funding sources are stable.
    [mostly_stable] Its funding sources are mostly stable.
    [mostly_unstable] Its funding sources are mostly unstable.
    [unstable] Its funding sources are unstable.
   *[other] The stability of its funding is not known.
  }

## 4. Partnership models

partner-iscms = { $name } works closely with { $iscms }.
partner-example = { $partner }: { $quote }
partner-igos = { $name } cooperates with inter-governmental organizations: { $igos }.
igos-in-role = { $igos } ({ $role })
civil-society = { $participation_code ->
    [regular] NGOs and civil society organizations take part in its work regularly.
    [occasional] NGOs and civil society organizations take part in its work occasionally.
   *[other] NGOs and civil society organizations do not take part in its work.
  }
quote-alone = { $quote }
regional-bodies = Links to regional bodies: { $quote }
igos-referred = { $count ->
    [one] One inter-governmental organization ({ $names }) referred to { $name } in its answers.
   *[other] { $count_word } inter-governmental organizations ({ $names }) referred to { $name } in their answers.
  }
igo-voice = { $since_count ->
    [0] { $who }: { $role }.
   *[other] { $who }: { $role } ({ $since }).
  }

## 5. Added value of membership

member-value = According to the ISCM, Member States value their membership for { $areas }.
challenges = Challenges named by the ISCM: { $quote }
recommendations = To strengthen its engagement, the ISCM suggests: { $quote }
states-referred = { $count ->
    [one] One of the Member States ({ $names }) surveyed referred to { $name } in its answers.
   *[other] { $count_word } of the Member States ({ $names }) surveyed referred to { $name } in their answers.
  }
states-none = None of the States surveyed referred to { $name } in their answers.
state-values = { $who } values it most for { $areas }.
state-example = { $who }: { $quote }
