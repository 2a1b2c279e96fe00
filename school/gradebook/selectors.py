"""Reads for the gradebook, shaped once: the grid, the index, history, averages.

The grid page costs a fixed number of queries whatever the number of pupils and
lessons (pinned by tests/school/gradebook/test_query_counts.py).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, OuterRef, Q, QuerySet, StringAgg, Subquery
from django.db.models import Value as V
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from school.attendance.selectors import (
    LETTERS,
    NoticeSpans,
    Rate,
    effective_status,
)
from school.gradebook.averages import Average, mark_display, weighted_average
from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    ClassGroup,
    Enrolment,
    Gradebook,
    Lesson,
    Mark,
    MarkChange,
    Scale,
    TeachingAssignment,
    Term,
    TermMark,
    User,
    WorkType,
)


@dataclass(frozen=True)
class MarkView:
    work_type: WorkType
    value: int
    display: str
    comment: str


@dataclass
class Cell:
    lesson: Lesson
    active: bool
    marks: list[MarkView] = field(default_factory=list)
    status: str = "present"
    noticed: bool = False
    note: str = ""

    @property
    def letter(self) -> str:
        return str(LETTERS[self.status])

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label)


@dataclass
class Row:
    pupil: User
    spans: list[tuple[datetime.date, datetime.date | None]]
    cells: list[Cell] = field(default_factory=list)
    average: Average | None = None
    rate: Rate = field(default_factory=Rate)
    term_mark: int | None = None
    term_mark_display: str = ""

    @property
    def left_on(self) -> datetime.date | None:
        """The last day in the class if the pupil has left it."""
        ends = [end for _start, end in self.spans]
        return None if None in ends else max(ends)

    @property
    def suggested_display(self) -> str:
        suggested = self.average.suggested if self.average else None
        if suggested is None:
            return ""
        return mark_display(self.average.scale, suggested)

    def enrolled_on(self, day: datetime.date) -> bool:
        return any(s <= day and (e is None or day <= e) for s, e in self.spans)


@dataclass
class Grid:
    gradebook: Gradebook
    lessons: list[Lesson]
    rows: list[Row]
    work_types: list[WorkType]


def gradebook_lessons(gradebook: Gradebook) -> QuerySet[Lesson]:
    return (
        Lesson.objects.held()
        .filter(
            class_group_id=gradebook.class_group_id,
            subject_id=gradebook.subject_id,
            term_id=gradebook.term_id,
        )
        .select_related("slot")
        .order_by("date", "slot__number", "pk")
    )


def _notice_spans_sql(term: Term) -> Subquery:
    """The pupil's notices in the term as "start:end;start:end" (saves a query)."""
    span = Concat(Cast("starts_on", CharField()), V(":"), Cast("ends_on", CharField()))
    return Subquery(
        AbsenceNotice.objects.filter(
            pupil_id=OuterRef("pupil_id"),
            starts_on__lte=term.ends_on,
            ends_on__gte=term.starts_on,
        )
        .order_by()
        .values("pupil_id")
        .annotate(spans=StringAgg(span, delimiter=V(";")))
        .values("spans")[:1],
        output_field=CharField(),
    )


def _parse_spans(text: str | None) -> NoticeSpans:
    spans = []
    for part in filter(None, (text or "").split(";")):
        start, end = part.split(":")
        spans.append(
            (datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
        )
    return NoticeSpans(tuple(spans))


def _term_enrolments(gradebook: Gradebook) -> QuerySet[Enrolment]:
    """Everyone in the class at any time of the term, with term mark and notices."""
    term = gradebook.term
    term_mark = TermMark.objects.filter(
        pupil_id=OuterRef("pupil_id"),
        subject_id=gradebook.subject_id,
        term_id=gradebook.term_id,
    ).values("value")[:1]
    return (
        Enrolment.objects.filter(
            class_group_id=gradebook.class_group_id, starts_on__lte=term.ends_on
        )
        .exclude(ends_on__lt=term.starts_on)
        .select_related("pupil")
        .annotate(term_mark=Subquery(term_mark), notices=_notice_spans_sql(term))
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id", "starts_on")
    )


def _rows(gradebook: Gradebook) -> tuple[list[Row], dict[int, NoticeSpans]]:
    rows: dict[int, Row] = {}
    notices: dict[int, NoticeSpans] = {}
    for enrolment in _term_enrolments(gradebook):
        row = rows.get(enrolment.pupil_id)
        if row is None:
            row = rows[enrolment.pupil_id] = Row(pupil=enrolment.pupil, spans=[])
            row.term_mark = enrolment.term_mark
            notices[enrolment.pupil_id] = _parse_spans(enrolment.notices)
        row.spans.append((enrolment.starts_on, enrolment.ends_on))
    return list(rows.values()), notices


def _marks_by_cell(gradebook: Gradebook, lesson_ids: set[int], types: dict):
    by_cell: dict[tuple[int, int], list[MarkView]] = defaultdict(list)
    marks = Mark.objects.filter(
        lesson__class_group_id=gradebook.class_group_id,
        lesson__subject_id=gradebook.subject_id,
        lesson__term_id=gradebook.term_id,
    ).only("lesson_id", "pupil_id", "work_type_id", "scale", "value", "comment")
    for mark in marks:
        if mark.lesson_id in lesson_ids:
            view = MarkView(
                work_type=types[mark.work_type_id],
                value=mark.value,
                display=mark_display(mark.scale, mark.value),
                comment=mark.comment,
            )
            by_cell[(mark.pupil_id, mark.lesson_id)].append(view)
    for views in by_cell.values():
        views.sort(key=lambda view: (view.work_type.weight, view.work_type.code))
    return by_cell


def _attendance_by_cell(gradebook: Gradebook) -> dict[tuple[int, int], Attendance]:
    rows = Attendance.objects.filter(
        lesson__class_group_id=gradebook.class_group_id,
        lesson__subject_id=gradebook.subject_id,
        lesson__term_id=gradebook.term_id,
    ).only("lesson_id", "pupil_id", "status", "note")
    return {(row.pupil_id, row.lesson_id): row for row in rows}


def _fill_row(row: Row, lessons, marks, attendance, notices, scale, today) -> None:
    values = []
    for lesson in lessons:
        cell = Cell(lesson=lesson, active=row.enrolled_on(lesson.date))
        cell.marks = marks.get((row.pupil.pk, lesson.pk), [])
        recorded = attendance.get((row.pupil.pk, lesson.pk))
        cell.noticed = notices.covers(lesson.date)
        cell.status = effective_status(
            recorded.status if recorded else None, cell.noticed
        )
        cell.note = recorded.note if recorded else ""
        if cell.active and lesson.date <= today:
            row.rate.add(cell.status)
        values += [(m.value, m.work_type.weight) for m in cell.marks]
        row.cells.append(cell)
    row.average = weighted_average(scale, values)
    if row.term_mark is not None:
        row.term_mark_display = mark_display(scale, row.term_mark)


def gradebook_grid(*, gradebook: Gradebook) -> Grid:
    """Pupils × held lessons with marks, attendance, averages and term marks.

    Five queries: lessons, enrolments (with term marks and notices folded in),
    marks, attendance rows, work types. Pupils who left stay in the grid; their
    cells after the last day are inactive.
    """
    lessons = list(gradebook_lessons(gradebook))
    rows, notices = _rows(gradebook)
    work_types = list(WorkType.objects.all())
    types = {work_type.pk: work_type for work_type in work_types}
    marks = _marks_by_cell(gradebook, {lesson.pk for lesson in lessons}, types)
    attendance = _attendance_by_cell(gradebook)
    today = timezone.localdate()
    for row in rows:
        pupil_notices = notices.get(row.pupil.pk, NoticeSpans())
        _fill_row(
            row, lessons, marks, attendance, pupil_notices, gradebook.scale, today
        )
    return Grid(gradebook=gradebook, lessons=lessons, rows=rows, work_types=work_types)


def grid_row(*, gradebook: Gradebook, pupil_id: int) -> Row | None:
    """One pupil's row, for the JSON answers of the grid's endpoints."""
    grid = gradebook_grid(gradebook=gradebook)
    return next((row for row in grid.rows if row.pupil.pk == pupil_id), None)


def mark_history(*, lesson: Lesson, pupil_id: int) -> QuerySet[MarkChange]:
    """Every change of the pupil's marks at a lesson, newest first."""
    return MarkChange.objects.filter(lesson=lesson, pupil_id=pupil_id).select_related(
        "changed_by", "work_type"
    )


# --- For the diaries and summaries of one pupil.


def pupil_term_averages(*, pupil: User, term: Term) -> dict[int, Average]:
    """The pupil's weighted average per subject id over the term (one query).

    Marks of cancelled lessons do not count. If a pupil changed classes and the
    two gradebooks use different scales, only marks on the latest scale count:
    5-point and 100-point values cannot share one average.
    """
    marks = (
        Mark.objects.filter(pupil=pupil, lesson__term=term)
        .exclude(lesson__status="cancelled")
        .order_by("lesson__date", "pk")
        .values_list("lesson__subject_id", "scale", "value", "work_type__weight")
    )
    by_subject: dict[int, list] = defaultdict(list)
    for subject_id, scale, value, weight in marks:
        by_subject[subject_id].append((scale, value, weight))
    averages = {}
    for subject_id, items in by_subject.items():
        scale = items[-1][0]
        pairs = [(value, weight) for s, value, weight in items if s == scale]
        averages[subject_id] = weighted_average(scale, pairs)
    return averages


def pupil_term_marks(*, pupil: User, term: Term) -> dict[int, TermMark]:
    """The final marks the teachers set, per subject id (one query)."""
    return {
        term_mark.subject_id: term_mark
        for term_mark in TermMark.objects.filter(pupil=pupil, term=term)
    }


# --- The index of a teacher's gradebooks.


@dataclass
class GradebookLink:
    class_group: ClassGroup
    subject_id: int
    subject_name: str
    terms: list[Term]
    can_edit: bool
    current: Term | None = None


def gradebooks_of(user: User) -> list[GradebookLink]:
    """The teacher's own gradebooks, then the homeroom classes' (read-only)."""
    assignments = (
        TeachingAssignment.objects.filter(
            Q(teacher=user) | Q(class_group__homeroom_teacher=user)
        )
        .select_related("class_group__school", "subject")
        .order_by("class_group__grade", "class_group__letter", "subject__name")
    )
    links: dict[tuple[int, int], GradebookLink] = {}
    for item in assignments:
        key = (item.class_group_id, item.subject_id)
        link = links.get(key)
        if link is None:
            link = links[key] = GradebookLink(
                item.class_group, item.subject_id, item.subject.name, [], False
            )
        link.can_edit = link.can_edit or item.teacher_id == user.pk
    years = {link.class_group.academic_year_id for link in links.values()}
    terms: dict[int, list[Term]] = defaultdict(list)
    for term in Term.objects.filter(academic_year_id__in=years):
        terms[term.academic_year_id].append(term)
    for link in links.values():
        link.terms = terms[link.class_group.academic_year_id]
        link.current = current_term(link.terms)
    return sorted(links.values(), key=lambda link: not link.can_edit)


def current_term(terms: list[Term]) -> Term | None:
    today = timezone.localdate()
    return next((t for t in terms if t.starts_on <= today <= t.ends_on), None)


SCALE_CHOICES = Scale.choices
