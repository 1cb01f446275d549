# Sentences of the "Summary of Findings per ISCM" drafts, in English (Project Fluent syntax:
# https://projectfluent.org/fluent/guide/), in British usage as the UN writes it. Which sentence
# is said when, and with which answers, is in summary.yaml. Variables: $name ("the Khartoum
# Process"), $of_name, $to_name, $short, $name_gender, $name_number; those that summary.yaml gives
# each sentence, each also as NAME_count (how many) and NAME_code (the code of a choice), and
# States, ISCMs and IGOs also as NAME_of, NAME_to, NAME_bare, NAME_gender and NAME_number.
# Free-text answers arrive already quoted: never rewritten; a sentence ending on a quotation
# ends with a full stop, dropped when the quotation ends a sentence itself.

## The document's header

organization = International Organization for Migration (IOM)
division = International Partnerships Division (IPD)
title = Summary of Findings per ISCM
all-title = Summaries of Findings for all ISCMs
purpose = As part of an assessment of inter-state consultation mechanisms on migration (ISCMs), a survey was conducted in { $year }. Carried out by IOM among ISCMs, their Member States and relevant inter-governmental organizations, the survey aimed to assess ISCMs' continued relevance and contribution to migration governance at all levels (national, regional and international) and the synergies among ISCMs and with other actors.
# $state, $iscm, $igo: how many returns of each questionnaire were used
counts = In all, { $state ->
    [one] { $state } State
   *[other] { $state } States
  } and { $iscm ->
    [one] { $iscm } ISCM
   *[other] { $iscm } ISCMs
  } and { $igo ->
    [0] no inter-governmental organization
    [one] { $igo } inter-governmental organization
   *[other] { $igo } inter-governmental organizations
  } provided answers to the questionnaires.
outline = The information below outlines the ISCM's thematic priorities, structure, impact and relevance, as drawn from the answers.
draft-note = Draft assembled from the questionnaire returns. Quotations are the respondents' own words; highlighted passages need the editor's attention.
name-line = Name of the Inter-State Consultation Mechanism (ISCM):{" "}
name-line-name = { $full } ({ $short })
missing-iscm = { $name } did not answer the questionnaire. This summary is drawn from what States and inter-governmental organizations said about it.
missing-section = { $name } did not answer this section.
missing-iscm-invalid = The return of { $name } was received but is not valid: it must be corrected (the annotated copy says what to fix) before its answers can be used. This summary is drawn from what States and inter-governmental organizations said about it.
missing-iscm-rejected = A file was received from { $name } but it cannot be read; it must be sent again. This summary is drawn from what States and inter-governmental organizations said about it.
missing-iscm-conflicting = { $name } sent several returns that cannot be ordered (same completion date and time); none is used until one is chosen. This summary is drawn from what States and inter-governmental organizations said about it.
missing-section-pending = The answers of { $name } to this section are not used until a valid return is received.
page-header = Draft for editing – not for circulation
page-footer = Page

## Words

quote = “{ $text }”
translation-needed = Translation needed: the respondent wrote in { $language }. Keep the original until the translation is checked.
language-en = English
language-fr = French
language-es = Spanish
# A State, ISCM or IGO ($name) by its article ($article: the, none): "the Netherlands", "MIDSA".
name-the = { $article ->
    [the] the { $name }
   *[none] { $name }
  }
name-of = of { name-the }
name-to = to { name-the }
name-bare = { $name }
# An acronym the first time a draft uses it: $spelled is the full name in the form needed.
name-spelled-out = { $spelled } ({ $acronym })
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
# A sentence does not open with a figure: "In all, 13 of the States...", but "Three of...".
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
   *[other] In all,{" "}
  }
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
monitoring_actors-member_states = the Member States

## 1. Programming and thematic focus

mandate = The original mandate { $of_name } covered { $areas }.
priorities = Its thematic priorities today are { $areas }.
strategy-no = { $name } does not have a formalized strategy.
strategy-yes = { $period_count ->
    [0] { $name } has a formalized strategy.
   *[other] { $name } has a formalized strategy, for the period { $period }.
  }
guiding = { $year_count ->
    [0] The main document guiding its actions and priorities is entitled { $document }.
   *[other] The main document guiding its actions and priorities, adopted in { $year }, is entitled { $document }.
  }
work-plan = The work { $of_name } is implemented and monitored according to its work plan, which is developed { $plans }.
work-plan-none = { $name } does not have a work plan.
monitoring = { $actors_count ->
    [one] The monitoring process is led by { $actors }.
   *[other] The monitoring process is led jointly by { $actors }.
  }
monitoring-none = The implementation of the work plan is not monitored.
evolution = The ISCM describes how its thematic focus evolved: { $quote }.

## 2. Contribution to migration governance

activities = { $name } contributes to migration governance through { $activities }.
national = The ISCM describes its contribution at the national level as follows: { $quote }.
regional = The ISCM describes its contribution at the (inter)regional level as follows: { $quote }.
global = The ISCM describes its contribution at the global level as follows: { $quote }.
joint-monitoring = At the (inter)regional level, the ISCM reports that it monitors an action plan jointly with other ISCMs: { $quote }.

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
chair-held = The Chair { $of_name } is held by { $holder }.
chair-none = { $name } has no Chair.
steering-members = The ISCM describes the membership of its steering committee as follows: { $quote }.
secretariat = { $managed_count ->
    [one] The secretariat is managed by { $managed }
   *[other] The secretariat is jointly managed by { $managed }
  }{ $supporters_count ->
    [0] .
   *[other] {" "}with support from { $supporters }.
  }
functions = The ISCM describes the functions of the secretariat as follows: { $quote }.
governing = The governing documents of this ISCM consist of { $documents }.
knowledge = On knowledge management, the ISCM writes: { $quote }.
channels = { $name } keeps its members informed through { $channels }.
members = { $observers ->
    [0] { $name } has { $count } Member States.
    [one] { $name } has { $count } Member States and one observer.
   *[other] { $name } has { $count } Member States and { $observers } observers.
  }
changes = Since its establishment, the constituency { $of_name } has changed: { $changes }.
# One kind of change and the States it concerns ($states); $replaced: the State replaced.
membership-change = { $change_code ->
    [joined] { $states } joined
    [left] { $states } left
    [observer] { $states } became { $states_number ->
        [plural] observers
       *[singular] an observer
      }
    [steering_joined] { $states } joined the steering committee
    [steering_replaced] { $states } replaced { $replaced_count ->
        [0] another member
       *[other] { $replaced }
      } in the steering committee
   *[other] a change concerned { $states }: { $change }
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
partner-example = The ISCM describes its cooperation with { $partner } as follows: { $quote }.
partner-igos = { $name } cooperates with inter-governmental organizations: { $igos }.
# The organizations ($igos) that play one role ($role_code) for the ISCM.
igos-in-role = { $igos } { $role_code ->
    [technical_advice] { $igos_number ->
        [plural] provide
       *[singular] provides
      } technical advice
    [co_implementer] { $igos_number ->
        [plural] co-implement
       *[singular] co-implements
      } projects
    [secretariat_support] { $igos_number ->
        [plural] support
       *[singular] supports
      } the secretariat
    [funding] { $igos_number ->
        [plural] provide
       *[singular] provides
      } funding
    [observer] { $igos_number ->
        [plural] take
       *[singular] takes
      } part as { $igos_number ->
        [plural] observers
       *[singular] an observer
      }
   *[other] { $igos_number ->
        [plural] play
       *[singular] plays
      } this role: { $role }
  }
civil-society = { $participation_code ->
    [regular] Non-governmental organizations (NGOs) and civil society organizations take part in its work regularly.
    [occasional] Non-governmental organizations (NGOs) and civil society organizations take part in its work occasionally.
   *[other] Non-governmental organizations (NGOs) and civil society organizations do not take part in its work.
  }
civil-society-details = The ISCM describes their participation as follows: { $quote }.
regional-bodies = On its links with regional bodies, the ISCM writes: { $quote }.
igos-referred = { $count ->
    [one] One inter-governmental organization referred to { $name } in its answers: { $names }.
   *[other] { count-lead }{ $count_word } inter-governmental organizations referred to { $name } in their answers: { $names }.
  }
# What an organization ($who) does for the ISCM ($role_code), since when ($since).
igo-voice = { $who } { $role_code ->
    [secretariat_support] supports its secretariat
    [technical_advice] provides it with technical advice
    [funding] contributes to its funding
    [co_implementer] co-implements projects with it
    [observer] takes part in it as an observer
   *[other] works with it ({ $role })
  }{ $since_count ->
    [0] .
   *[other] {" "}(since { $since }).
  }
igo-example = { $who } gives this example: { $quote }.

## 5. Added value of membership

member-value = According to the ISCM, Member States value their membership for { $areas }.
member-value-examples = The ISCM gives these examples: { $quote }.
challenges = The ISCM reports the following challenges: { $quote }.
recommendations = To strengthen its engagement, the ISCM suggests: { $quote }.
# $members: all, some or none of the States named take part as members.
states-referred = { $count ->
    [one] { $members ->
        [all] One of the Member States surveyed ({ $names }) referred to { $name } in its answers.
       *[other] One of the States surveyed ({ $names }) referred to { $name } in its answers.
      }
   *[other] { $members ->
        [all] { count-lead }{ $count_word } of the Member States surveyed ({ $names }) referred to { $name } in their answers.
       *[other] { count-lead }{ $count_word } of the States surveyed ({ $names }) referred to { $name } in their answers.
      }
  }
states-none = None of the States surveyed referred to { $name } in their answers.
# A State ($who), its status ($status_code: member, observer) and role ($role_code: chair,
# co_chair...; a chair of a version 1 return is a member and chair), since when ($since), and
# the areas it rated best ($areas).
state-values = { $who }, { $role_code ->
    [chair] its current Chair
    [co_chair] one of its co-chairs
   *[other] { $status_code ->
        [observer] an observer
       *[member] a member
      }
  }{ $since_count ->
    [0] {""}
   *[other] {" "}since { $since }
  }, { $areas_count ->
    [0] rated no area of membership as valuable.
   *[other] values its { $status_code ->
        [observer] participation
       *[other] membership
      } most for { $areas }.
  }
state-example = { $who } gave this example: { $quote }.
