"""The school app's models, one module per area; everything is importable from here."""

from school.models.homework import (  # noqa: F401
    Homework,
    HomeworkAttachment,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from school.models.journal import (  # noqa: F401
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Gradebook,
    Mark,
    MarkChange,
    Scale,
    TermMark,
    WorkType,
)
from school.models.push import (  # noqa: F401
    PushKind,
    PushMessage,
    PushMessageStatus,
    PushQuietHours,
    PushSubscription,
    PushTopic,
)
from school.models.rosters import RosterClass  # noqa: F401
from school.models.structure import (  # noqa: F401
    AcademicYear,
    CitySession,
    ClassGroup,
    Enrolment,
    EnrolmentQuerySet,
    Guardianship,
    Notification,
    Role,
    RoleGrant,
    School,
    Subject,
    TeachingAssignment,
    Term,
    UsedLogoutToken,
    User,
)
from school.models.timetable import (  # noqa: F401
    CalendarFeed,
    Lesson,
    LessonSlot,
    LessonStatus,
    WeeklySlot,
)
