"""Test data for the page checks: the public pages of a portal, and a large generated portal
with long Swedish texts, unassessed assignments and assignments given to all bodies."""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from assignments.models import AssessmentStatus, Assignment, BodyKind, ResponsibleBody
from goals.models import FocusArea, Fulfilment, Goal, GoalAction, GoalLink, Organisation, Plan
from tests import factories as f

WORDS = [
    *("bostäder", "arbete", "självförsörjning", "trygghet", "äldreomsorg", "förskola"),
    *("skolgång", "kollektivtrafik", "klimatomställning", "näringsliv", "föreningsliv"),
    *("kulturarv", "idrottsanläggningar", "folkhälsa", "integration", "digitalisering"),
    *("vägunderhåll", "vattenförsörjning", "ungdomar", "företagande"),
]
SENTENCES = [
    "Arbetet pågår enligt plan och en första delrapport lämnades till nämnden i våras.",
    "Förvaltningen har kartlagt behoven tillsammans med civilsamhället och näringslivet.",
    "Uppdraget är försenat eftersom upphandlingen överklagades; ny tidplan tas fram.",
    "Samverkan med Region Uppsala och Arbetsförmedlingen har fördjupats under året.",
    "En handlingsplan med åtgärder för 2023–2024 beslutas av kommunstyrelsen i höst.",
    "Resultaten följs upp med nyckeltal för sysselsättning, boende och upplevd trygghet.",
]


@dataclass
class Portal:
    """One published plan and, for each page type, an object to show."""

    plan: Plan
    goal: Goal
    assignment: Assignment
    body: ResponsibleBody

    def pages(self) -> dict[str, str]:
        """Every public page type by name, with its address (the 404 page included)."""
        return {
            "start": "/",
            "plan": self.plan.get_absolute_url(),
            "goal": self.goal.get_absolute_url(),
            "goal filtered": self.goal.get_absolute_url() + "?status=delayed",
            "assignment": self.assignment.get_absolute_url(),
            "bodies": reverse("assignments:bodies"),
            "body": self.body.get_absolute_url(),
            "accessibility statement": reverse("accessibility"),
            "cookies": reverse("cookies"),
            "404": "/plan/finns-inte/",
        }


def text(n: int, sentences: int = 2) -> str:
    """A few Swedish sentences, different for different n, in paragraphs."""
    chosen = [SENTENCES[(n + i) % len(SENTENCES)] for i in range(sentences)]
    return "\n\n".join(chosen)


def title(n: int, words: int = 6) -> str:
    chosen = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(words)]
    return "Stärka " + " och ".join([", ".join(chosen[:-1]), chosen[-1]])


def seed_portal() -> Portal:
    """The seed goal (imported by the `seed` fixture) and its page objects."""
    goal = Goal.objects.get(number=5)
    assignment = goal.assignments.order_by("number").last()
    body = ResponsibleBody.objects.get(code="KS")
    return Portal(goal.plan, goal, assignment, body)


def build_portal(goals: int = 8, assignments: int = 25, periods: int = 6) -> Portal:
    """A plan of `goals` goals with `assignments` assignments each, assessed over `periods`
    reporting periods; every fifth assignment is not assessed yet, some are given to all
    committees or all companies (some to no body by name), some are additional assignments.
    An older plan, without goals yet, beside it."""
    if not Organisation.objects.exists():
        f.make_organisation(name="Exempelby kommun")
    f.make_plan(
        code="mal-och-budget-2019", name="Mål och budget 2019–2021", start_year=2019, end_year=2021
    )
    plan = f.make_plan(code="mal-och-budget-2022", name="Mål och budget 2022–2024")
    reporting = [
        f.make_period(
            date=datetime.date(2021 + p // 2, 6 + p % 2 * 6, 30),
            code=f"ex-{p}",
            name=f"{('Juni', 'December')[p % 2]} {2021 + p // 2}",
        )
        for p in range(periods)
    ]
    committees = [
        f.make_body(code=code, name=name, kind=BodyKind.COMMITTEE)
        for code, name in [
            ("EX-KS", "Kommunstyrelsen"),
            ("EX-AMN", "Arbetsmarknadsnämnden"),
            ("EX-SCN", "Socialnämnden"),
            ("EX-ÄLN", "Äldrenämnden"),
            ("EX-UBN", "Utbildningsnämnden"),
        ]
    ]
    companies = [
        f.make_body(code=code, name=name, kind=BodyKind.COMPANY)
        for code, name in [
            ("EX-BOSTAD", "Exempelbyhem AB"),
            ("EX-SKOLA", "Skolfastigheter i Exempelby AB"),
        ]
    ]
    bodies = committees + companies
    statuses = list(AssessmentStatus)
    fulfilments = list(Fulfilment)
    for g in range(goals):
        goal = f.make_goal(
            plan,
            title=f"Exempelbys invånare ska ha {WORDS[g % len(WORDS)]} och {WORDS[-g - 1]}",
            tagline="Med självständighet kommer självkänsla och framtidstro.",
            description=text(g, 3),
        )
        FocusArea.objects.create(
            goal=goal, title="Jobb och företagande", start_year=2022, end_year=2024, text=text(g)
        )
        GoalLink.objects.create(
            goal=goal, title="Läs en fördjupning av målets resultat", url="https://exempelby.se/"
        )
        GoalAction.objects.create(goal=goal, title="Öppnat en jobbtorgsfilial", text=text(g + 1))
        for p, period in enumerate(reporting):
            f.make_goal_assessment(
                goal,
                period,
                fulfilment=fulfilments[(g + p) % len(fulfilments)],
                text=text(g + p),
                assignments_summary=text(p, 1),
            )
        for a in range(assignments):
            n = g * assignments + a
            assignment = f.make_assignment(
                goal,
                bodies=[]
                if n % 7 == 0
                else [bodies[n % len(bodies)], bodies[(n + 3) % 7]][: 1 + n % 2],
                title=title(n),
                all_committees=n % 7 == 0,
                all_companies=n % 11 == 0,
                added_year=2021 if n % 9 == 0 else None,
                expected_completion_year=2024 if n % 3 == 0 else None,
            )
            if a % 5 == 4:
                continue  # not assessed yet
            for p, period in enumerate(reporting):
                f.make_assessment(
                    assignment, period, status=statuses[(n + p) % len(statuses)], text=text(n + p)
                )
    goal = plan.goals.get(number=min(2, goals))
    assignment = goal.assignments.get(number=1)
    return Portal(plan, goal, assignment, committees[0])
