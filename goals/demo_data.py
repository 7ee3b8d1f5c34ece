"""Demo data: a realistic synthetic follow-up of any size, with Swedish text.

    from goals.demo_data import Spec, generate

    generate(Spec.sized(plans=1, goals=8, assignments=25, periods=6, bodies=30, seed=1))
    generate(Spec.sized(**LARGE_GOAL))  # one goal, 200 assignments, 12 periods

Plans of successive three-year terms, numbered goals with Swedish text (focus areas, links,
actions, an assessment per period), assignments given to one to three bodies or to all
committees or companies, some of them added in a later year, and an assessment for every
period since the assignment was given whose status develops as real ones do. Periods are
April, August and December of each year. The same seed gives the same data.

The plans and goals are published; so is every assessment but about a tenth of the latest
period's assignment assessments, which are drafts. Existing bodies and periods are reused
(matched by code and by date); a plan whose code exists is refused. Rows are written with
bulk_create, in one transaction. `manage.py generate_data` and the tests' build_portal()
(tests/factories.py) both generate with this module.
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass, field

from django.db import transaction

from assignments.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
    ReviewState,
)
from goals.models import (
    FocusArea,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    PeriodState,
    Plan,
    ReportingPeriod,
)
from uppfoljning.modeltools import unique_slug

PERIOD_MONTHS = [(4, 30, "April"), (8, 31, "Augusti"), (12, 31, "December")]
TERM_YEARS = 3
# When the generated assessments count as published: fixed, so that a seed gives the same data.
PUBLISHED_AT = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)

COMMITTEES = [
    ("KS", "Kommunstyrelsen"),
    ("AMN", "Arbetsmarknadsnämnden"),
    ("UBN", "Utbildningsnämnden"),
    ("SCN", "Socialnämnden"),
    ("ÄLN", "Äldrenämnden"),
    ("OSN", "Omsorgsnämnden"),
    ("KTN", "Kulturnämnden"),
    ("IFN", "Idrotts- och fritidsnämnden"),
    ("GSN", "Gatu- och samhällsmiljönämnden"),
    ("PBN", "Plan- och byggnadsnämnden"),
    ("MHN", "Miljö- och hälsoskyddsnämnden"),
    ("RÄN", "Räddningsnämnden"),
    ("ÖFN", "Överförmyndarnämnden"),
    ("NGN", "Namngivningsnämnden"),
    ("VLN", "Valnämnden"),
    ("FSN", "Förskolenämnden"),
    ("NBN", "Nämnden för hälsa och välfärd"),
    ("TKN", "Trafiknämnden"),
]
COMPANIES = [
    ("BOSTAD", "Kommunens bostadsbolag AB"),
    ("STADSHUS", "Stadshus AB"),
    ("VATTEN", "Vatten och avfall AB"),
    ("ENERGI", "Energibolaget AB"),
    ("SKOLFAST", "Skolfastigheter AB"),
    ("SPORTFAST", "Sport- och rekreationsfastigheter AB"),
    ("PARKERING", "Parkeringsbolaget AB"),
    ("DESTINATION", "Destination och evenemang AB"),
    ("KONSERT", "Konsert och kongress AB"),
    ("TEATER", "Stadsteatern AB"),
    ("HAMN", "Hamnbolaget AB"),
    ("FIBER", "Stadsnätet AB"),
]

GOAL_TITLES = [
    "Invånarna ska ha bostad och arbete",
    "Kommunen ska vara attraktiv att besöka, bo och verka i",
    "Barn och unga ska ha goda förutsättningar att lyckas i skolan",
    "Äldre ska kunna leva ett tryggt och självständigt liv",
    "Kommunen ska vara klimatpositiv och klimatanpassad",
    "Invånarna ska känna sig trygga i hela kommunen",
    "Kultur- och fritidslivet ska vara rikt och tillgängligt för alla",
    "Näringslivet ska växa och fler företag ska startas",
    "Kommunen ska vara en attraktiv arbetsgivare",
    "Välfärden ska vara jämlik och hålla hög kvalitet",
    "Stadsdelar och landsbygd ska utvecklas hållbart",
    "Kommunens ekonomi ska vara stark och hållbar",
]
TAGLINES = [
    "Med självständighet kommer självkänsla",
    "Tillsammans bygger vi framtidens kommun",
    "Alla ska få växa och känna sig hemma",
    "En hållbar vardag för alla åldrar",
    "Trygghet skapas där människor möts",
]
FOCUS_TITLES = [
    "Jobb och företagande",
    "Bostäder för alla",
    "Trygghet i vardagen",
    "Klimat och miljö",
    "Digital utveckling",
    "Barns och ungas uppväxtvillkor",
    "Hälsa och livskvalitet",
]

SUBJECTS = [
    "Nämnden",
    "Förvaltningen",
    "Kommunstyrelsen",
    "Arbetsgruppen",
    "Bolaget",
    "Projektet",
    "Kommunen",
    "Verksamheten",
]
VERBS = [
    "har påbörjat",
    "fortsätter",
    "genomför",
    "utreder",
    "följer upp",
    "samordnar",
    "förstärker",
    "utvecklar",
    "har slutfört",
    "planerar",
]
OBJECTS = [
    "arbetet med bostadsförsörjningen",
    "insatserna för unga vuxna utan sysselsättning",
    "dialogen med det lokala näringslivet",
    "en handlingsplan för klimatanpassning",
    "möjligheterna till feriearbete för ungdomar",
    "samverkan med föreningslivet",
    "den digitala tillgängligheten i e-tjänsterna",
    "tryggheten i stadsdelarnas centrum",
    "övergången från gymnasieskola till arbete",
    "miljöarbetet i förskolans kök",
    "energieffektiviseringen av äldre fastigheter",
    "stödet till personer med funktionsnedsättning",
    "kartläggningen av behoven på landsbygden",
    "utbildningen av chefer i tillitsbaserad styrning",
    "utbyggnaden av gång- och cykelvägar",
    "kompetensförsörjningen inom äldreomsorgen",
]
ADVERBIALS = [
    "under året",
    "enligt plan",
    "i samverkan med berörda nämnder",
    "inom befintlig budget",
    "tillsammans med civilsamhället",
    "med stöd av statliga medel",
    "i flera av kommunens stadsdelar",
    "under hösten",
    "efter en förstudie",
    "i nära dialog med invånarna",
]
STATUS_OPENINGS = {
    AssessmentStatus.COMPLETED: ["Uppdraget är slutfört.", "Arbetet är avslutat och utvärderat."],
    AssessmentStatus.ON_TRACK: ["Arbetet pågår enligt plan.", "Uppdraget fortskrider väl."],
    AssessmentStatus.DELAYED: [
        "Arbetet är försenat.",
        "Uppdraget har ännu inte påbörjats fullt ut på grund av vakanser.",
    ],
    AssessmentStatus.NOT_CARRIED_OUT: [
        "Uppdraget genomförs inte i nuläget.",
        "Uppdraget har pausats efter beslut i nämnden.",
    ],
}
ASSIGNMENT_VERBS = [
    "Utveckla",
    "Förbättra",
    "Utreda",
    "Ta fram",
    "Stärka",
    "Öka",
    "Samordna",
    "Genomföra",
    "Kartlägga",
]

# How an assignment's status develops from one period to the next.
FIRST_STATUS = {"on_track": 60, "delayed": 30, "completed": 5, "not_carried_out": 5}
NEXT_STATUS = {
    "on_track": {"on_track": 74, "completed": 14, "delayed": 10, "not_carried_out": 2},
    "delayed": {"on_track": 40, "delayed": 48, "completed": 6, "not_carried_out": 6},
    "completed": {"completed": 100},
    "not_carried_out": {"not_carried_out": 85, "delayed": 15},
}
FULFILMENT_WEIGHTS = {"fully": 10, "largely": 40, "partly": 35, "slightly": 12, "not": 3}
FULFILMENT_WORDS = {
    "fully": "helt uppfyllt",
    "largely": "i hög grad uppfyllt",
    "partly": "delvis uppfyllt",
    "slightly": "i låg grad uppfyllt",
    "not": "inte uppfyllt",
}


# The benchmark's large goal: Spec.sized(**LARGE_GOAL).
LARGE_GOAL = {"plans": 1, "goals": 1, "assignments": 200, "periods": 12}


class DemoDataError(ValueError):
    """What was asked for cannot be generated (a size out of range, a plan code taken)."""


@dataclass(frozen=True)
class Spec:
    """How much to generate."""

    plans: int
    goals: int
    assignments: tuple[int, ...]  # per goal, over all plans' goals in order
    periods: int
    bodies: int
    seed: int = 1
    start_year: int = 2022
    code: str = "syntet"
    draft_share: float = 0.1  # of the latest period's assignment assessments

    @classmethod
    def sized(
        cls,
        *,
        plans: int = 1,
        goals: int = 8,
        assignments: int = 25,
        total_assignments: int | None = None,
        periods: int = 6,
        bodies: int = 30,
        **rest,
    ) -> Spec:
        """A Spec of `assignments` per goal, or of `total_assignments` spread over the goals
        (the first goals get one more when they do not divide evenly); DemoDataError when a
        size is out of range. `rest`: seed, start_year, code, draft_share."""
        counts = {"plans": plans, "goals": goals, "periods": periods, "bodies": bodies}
        for name, value in counts.items():
            if value < 1:
                raise DemoDataError(f"{name} must be at least 1")
        if total_assignments is not None:
            if total_assignments < 0:
                raise DemoDataError("total assignments must not be negative")
            share, extra = divmod(total_assignments, plans * goals)
            per_goal = [share + (1 if i < extra else 0) for i in range(plans * goals)]
        else:
            if assignments < 0:
                raise DemoDataError("assignments must not be negative")
            per_goal = [assignments] * (plans * goals)
        return cls(plans, goals, tuple(per_goal), periods, bodies, **rest)


@dataclass
class Generated:
    """What generate() wrote: the plans, each plan's periods, the bodies used, the counts."""

    plans: list[Plan] = field(default_factory=list)
    periods: dict[str, list[ReportingPeriod]] = field(default_factory=dict)  # by plan code
    bodies: dict[str, list[ResponsibleBody]] = field(default_factory=dict)  # by BodyKind
    counts: dict[str, int] = field(default_factory=dict)  # rows created, by what they are


def generate(spec: Spec) -> Generated:
    """Write the data of `spec` in one transaction (nothing when DemoDataError is raised).

    The caller tells the page cache (uppfoljning.pagecache.content_changed()).
    """
    return Generator(spec).write()


# --------------------------------------------------------------------------- text


class SwedishText:
    """Sentences, paragraphs and titles built from Swedish word lists."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        pick = self.rng.choice
        return f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(ADVERBIALS)}."

    def paragraph(self, opening: str = "") -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(2, 4))]
        return " ".join([opening, *sentences] if opening else sentences)

    def text(self, paragraphs: tuple[int, int] = (1, 2), opening: str = "") -> str:
        count = self.rng.randint(*paragraphs)
        first = self.paragraph(opening)
        return "\n\n".join([first, *(self.paragraph() for _ in range(count - 1))])

    def assignment_title(self) -> str:
        verb, thing = self.rng.choice(ASSIGNMENT_VERBS), self.rng.choice(OBJECTS)
        title = f"{verb} {thing}"
        if self.rng.random() < 0.4:
            title += f" {self.rng.choice(ADVERBIALS)}"
        return title + "."

    def goal_title(self, index: int) -> str:
        title = GOAL_TITLES[index % len(GOAL_TITLES)]
        rounds = index // len(GOAL_TITLES)
        return f"{title} ({rounds + 1})" if rounds else title


# --------------------------------------------------------------------------- data


def _weighted(rng: random.Random, weights: dict):
    """One key of `weights`, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def body_pool(count: int) -> list[tuple[str, str, str]]:
    """`count` (code, name, kind): two committees for every company, the board first."""
    committees = iter(COMMITTEES)
    companies = iter(COMPANIES)
    extra = itertools.count(1)
    pool = []
    for index in range(count):
        source, kind = (
            (companies, BodyKind.COMPANY) if index % 3 == 2 else (committees, BodyKind.COMMITTEE)
        )
        code, name = next(source, (None, None))
        if code is None:
            number = next(extra)
            code, name = f"SDN{number}", f"Stadsdelsnämnd {number}"
            kind = BodyKind.COMMITTEE
        pool.append((code, name, kind))
    return pool


def period_dates(start_year: int, count: int) -> list[tuple[datetime.date, str]]:
    """`count` periods from April of `start_year` on: (as-of date, Swedish name)."""
    dates = []
    for index in range(count):
        year = start_year + index // len(PERIOD_MONTHS)
        month, day, name = PERIOD_MONTHS[index % len(PERIOD_MONTHS)]
        dates.append((datetime.date(year, month, day), f"{name} {year}"))
    return dates


class Generator:
    """Builds the rows of a Spec and writes them with bulk_create."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.words = SwedishText(self.rng)
        self.result = Generated()

    @transaction.atomic
    def write(self) -> Generated:
        plans = self.result.plans = self._plans()
        if Organisation.current() is None:
            Organisation.objects.create(name="Exempelby kommun", website="https://exempelby.se/")
        bodies = self.result.bodies = self._bodies()
        goal_sizes = iter(self.spec.assignments)
        for plan in plans:
            periods = self.result.periods[plan.code] = self._periods(plan.start_year)
            goals = self._goals(plan)
            self._goal_details(goals, plan, periods)
            for goal in goals:
                self._assignments(goal, plan, periods, bodies, next(goal_sizes))
        return self.result

    def _count(self, name: str, rows: list) -> list:
        counts = self.result.counts
        counts[name] = counts.get(name, 0) + len(rows)
        return rows

    # -- plans, bodies, periods

    def _plans(self) -> list[Plan]:
        """The plans, published; their addresses made from their codes."""
        spec = self.spec
        codes = [f"{spec.code}-{spec.start_year + TERM_YEARS * i}" for i in range(spec.plans)]
        if Plan.objects.filter(code__in=codes).exists():
            raise DemoDataError(
                f"a plan with code {', '.join(codes)} exists already: "
                "choose another code or start year"
            )
        slugs = set(Plan.objects.values_list("slug", flat=True))
        plans = []
        for index, code in enumerate(codes):
            start = spec.start_year + TERM_YEARS * index
            end = start + max(TERM_YEARS, -(-spec.periods // len(PERIOD_MONTHS))) - 1
            plans.append(
                Plan(
                    code=code,
                    slug=unique_slug(code, slugs, max_length=60, fallback="plan"),
                    name=f"Mål och budget {start}–{end}",
                    start_year=start,
                    end_year=end,
                    is_published=True,
                )
            )
        return self._count("plans", Plan.objects.bulk_create(plans))

    def _bodies(self) -> dict[str, list[ResponsibleBody]]:
        """The bodies by kind, existing ones (same code) reused."""
        pool = body_pool(self.spec.bodies)
        existing = ResponsibleBody.objects.in_bulk([code for code, _, _ in pool], field_name="code")
        slugs = set(ResponsibleBody.objects.values_list("slug", flat=True))
        position = max(ResponsibleBody.objects.values_list("position", flat=True), default=0)
        new = []
        for code, name, kind in pool:
            if code not in existing:
                position += 1
                slug = unique_slug(code, slugs, max_length=60, fallback="ansvarig")
                new.append(
                    ResponsibleBody(code=code, name=name, kind=kind, slug=slug, position=position)
                )
        created = {b.code: b for b in ResponsibleBody.objects.bulk_create(new)}
        self._count("bodies", new)
        bodies = [existing.get(code) or created[code] for code, _, _ in pool]
        return {kind: [b for b in bodies if b.kind == kind] for kind in BodyKind.values}

    def _periods(self, start_year: int) -> list[ReportingPeriod]:
        """The plan's periods in date order; a period on the same date is reused."""
        wanted = period_dates(start_year, self.spec.periods)
        existing = ReportingPeriod.objects.in_bulk([d for d, _ in wanted], field_name="date")
        new = [
            ReportingPeriod(
                code=date.strftime("%Y-%m"), name=name, date=date, state=PeriodState.PUBLISHED
            )
            for date, name in wanted
            if date not in existing
        ]
        clash = ReportingPeriod.objects.filter(code__in=[p.code for p in new]).first()
        if clash:
            raise DemoDataError(f"period code {clash.code!r} is taken by {clash.date}")
        created = {p.date: p for p in ReportingPeriod.objects.bulk_create(new)}
        self._count("periods", new)
        return [existing.get(date) or created[date] for date, _ in wanted]

    # -- goals

    def _goals(self, plan: Plan) -> list[Goal]:
        words = self.words
        goals = [
            Goal(
                plan=plan,
                number=number,
                title=words.goal_title(number - 1),
                tagline=self.rng.choice(TAGLINES),
                description=words.text((2, 3)),
                is_published=True,
            )
            for number in range(1, self.spec.goals + 1)
        ]
        return self._count("goals", Goal.objects.bulk_create(goals))

    def _goal_details(self, goals: list[Goal], plan: Plan, periods: list) -> None:
        focus, links, actions, assessments = [], [], [], []
        for goal in goals:
            focus.append(
                FocusArea(
                    goal=goal,
                    title=self.rng.choice(FOCUS_TITLES),
                    start_year=plan.start_year,
                    end_year=plan.end_year,
                    text=self.words.text((1, 2)),
                )
            )
            links.append(
                GoalLink(
                    goal=goal,
                    title="Läs en fördjupning av målets resultat",
                    url=f"https://exempelby.se/mal/{goal.number}",
                )
            )
            actions += [
                GoalAction(
                    goal=goal,
                    position=position,
                    title=self.words.assignment_title(),
                    text=self.words.paragraph(),
                )
                for position in range(self.rng.randint(2, 4))
            ]
            assessments += [self._goal_assessment(goal, period) for period in periods]
        FocusArea.objects.bulk_create(focus)
        GoalLink.objects.bulk_create(links)
        GoalAction.objects.bulk_create(actions)
        self._count("goal assessments", GoalAssessment.objects.bulk_create(assessments))

    def _goal_assessment(self, goal: Goal, period: ReportingPeriod) -> GoalAssessment:
        fulfilment = _weighted(self.rng, FULFILMENT_WEIGHTS)
        opening = f"Inriktningsmålet bedöms bli {FULFILMENT_WORDS[fulfilment]} vid periodens slut."
        return GoalAssessment(
            goal=goal,
            period=period,
            fulfilment=fulfilment,
            text=self.words.text((1, 2), opening=opening),
            assignments_summary=self.words.paragraph() if self.rng.random() < 0.7 else "",
            state=ReviewState.PUBLISHED,
            published_at=PUBLISHED_AT,
        )

    # -- assignments

    def _assignments(self, goal, plan, periods, bodies, count: int) -> None:
        assignments = [self._assignment(goal, plan, n) for n in range(1, count + 1)]
        Assignment.objects.bulk_create(assignments)
        self._count("assignments", assignments)
        responsibilities, assessments = [], []
        for assignment in assignments:
            responsibilities += self._responsibilities(assignment, bodies)
            assessments += self._assessments(assignment, periods)
        AssignmentResponsibility.objects.bulk_create(responsibilities)
        self._count("assessments", Assessment.objects.bulk_create(assessments))

    def _assignment(self, goal: Goal, plan: Plan, number: int) -> Assignment:
        rng = self.rng
        given_to_all = rng.random()
        added = rng.random() < 0.15 and plan.end_year > plan.start_year
        completion = rng.randint(plan.start_year, plan.end_year) if rng.random() < 0.5 else None
        return Assignment(
            goal=goal,
            number=number,
            title=self.words.assignment_title(),
            all_committees=given_to_all < 0.08,
            all_companies=0.06 < given_to_all < 0.11,
            added_year=rng.randint(plan.start_year + 1, plan.end_year) if added else None,
            expected_completion_year=completion,
        )

    def _responsibilities(self, assignment: Assignment, bodies: dict) -> list:
        """One to three named bodies, fewer when the assignment is given to all."""
        if assignment.all_committees or assignment.all_companies:
            count = self.rng.choice([0, 0, 1])
        else:
            count = _weighted(self.rng, {1: 50, 2: 35, 3: 15})
        everyone = bodies[BodyKind.COMMITTEE] + bodies[BodyKind.COMPANY]
        chosen = self.rng.sample(everyone, min(count, len(everyone)))
        return [
            AssignmentResponsibility(assignment=assignment, body=body, position=position)
            for position, body in enumerate(chosen)
        ]

    def _assessments(self, assignment: Assignment, periods: list) -> list[Assessment]:
        """One per period since the assignment was given, its status a Markov chain."""
        since = assignment.added_year or 0
        shown = [p for p in periods if p.date.year >= since]
        status, rows = None, []
        for period in shown:
            status = _weighted(self.rng, NEXT_STATUS[status] if status else FIRST_STATUS)
            draft = period is periods[-1] and self.rng.random() < self.spec.draft_share
            opening = self.rng.choice(STATUS_OPENINGS[AssessmentStatus(status)])
            rows.append(
                Assessment(
                    assignment=assignment,
                    period=period,
                    status=status,
                    text=self.words.text((1, 2), opening=opening),
                    state=ReviewState.DRAFT if draft else ReviewState.PUBLISHED,
                    published_at=None if draft else PUBLISHED_AT,
                )
            )
        return rows
