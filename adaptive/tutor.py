"""The facade: one typed entry point over a database for host apps, the CLI and the chat front ends.

A :class:`Tutor` wires the services (:mod:`adaptive.services`) to one database. Each service is an attribute
(``tutor.classroom.small_groups(...)``) and every public method is also on the Tutor itself
(``tutor.small_groups(...)``), documented as the service documents it. Every call runs in its own transaction
(retried on deadlocks and lost races) unless it runs inside :meth:`Tutor.unit_of_work`, and returns plain
frozen records (:mod:`adaptive.domain`). A Tutor keeps no module-level state and is safe to share between
threads.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from adaptive.domain.evidence import MasteryLevels, ScoreScale
from adaptive.domain.tracing import BKTParams
from adaptive.services.access import AccessService
from adaptive.services.audit import AccessLog, AuditService
from adaptive.services.classroom import ClassroomService
from adaptive.services.conferencing import ConferencingService
from adaptive.services.context import Context, Settings
from adaptive.services.curriculum import CurriculumService
from adaptive.services.decisions import DecisionService
from adaptive.services.deliveries import DeliveryService
from adaptive.services.interop import InteropService
from adaptive.services.notifications import NotificationService
from adaptive.services.privacy import PrivacyService
from adaptive.services.recording import RecordingService
from adaptive.services.reports import ReportService
from adaptive.services.roster import RosterService
from adaptive.services.tracing import TracingService
from adaptive.services.workbench import WorkbenchService
from adaptive.store import recording
from adaptive.store.database import Database

DEFAULT_URL = "sqlite:///adaptive.db"
DEFAULT_PARAMS = recording.DEFAULT_PARAMS
URL_VARIABLE = "ADAPTIVE_DB_URL"

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def _on(service: str, method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Tutor, P], R]:
    """A Tutor method that calls ``method`` of the service in attribute ``service`` (same name, signature and
    documentation)."""
    name = method.__name__

    @functools.wraps(method)
    def call(self: Tutor, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return getattr(getattr(self, service), name)(*args, **kwargs)

    return call


class Tutor:
    """Competencies, content, people, responses and mastery in one database (any SQLAlchemy URL of SQLite or
    PostgreSQL; without one, ``$ADAPTIVE_DB_URL``, else ``sqlite:///adaptive.db``, as the CLI does).

    ``score_scale`` turns scores into evidence, ``levels`` P(mastered) into a level, ``default_params``
    are used for competencies without fitted or set parameters. With ``upgrade`` (the default) the
    schema is migrated to the latest revision on opening (a quick no-op when it already is).

    ``actor`` turns the access log on for every call: who reads a student's data through this Tutor unless
    :meth:`acting_as` says otherwise (an app names itself ``"api:NAME"``). Without it only the calls inside
    ``acting_as`` are logged (see docs/security-and-privacy.md, "What is logged").
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        score_scale: ScoreScale | None = None,
        levels: MasteryLevels | None = None,
        default_params: BKTParams = DEFAULT_PARAMS,
        upgrade: bool = True,
        chunk_size: int = 1000,
        engine_options: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        access = AccessLog(actor)  # a bad actor is refused before the database is opened
        self.url = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
        self.settings = Settings(score_scale or ScoreScale(), levels or MasteryLevels(), default_params, chunk_size)
        self._database = Database(self.url, engine_options=engine_options)
        if upgrade:
            self.upgrade()
        self._database.start_checkpoints()
        ctx = self._ctx = Context(self._database, self.settings, access)
        # The one place the services are wired together.
        self.curriculum = CurriculumService(ctx)
        self.roster = RosterService(ctx)
        self.decisions = DecisionService(ctx)
        self.recording = RecordingService(ctx, self.decisions)
        self.tracing = TracingService(ctx)
        self.conferencing = ConferencingService(ctx)
        self.notifications = NotificationService(ctx)
        self.deliveries = DeliveryService(ctx)
        self.classroom = ClassroomService(ctx)
        self.reports = ReportService(ctx)
        self.interop = InteropService(ctx, self.recording, self.curriculum)
        self.privacy = PrivacyService(ctx)
        self.audit = AuditService(ctx)
        self.access = AccessService(ctx)
        self.workbench = WorkbenchService(ctx, self.decisions, self.curriculum, self.interop)

    @property
    def score_scale(self) -> ScoreScale:
        return self.settings.score_scale

    @property
    def levels(self) -> MasteryLevels:
        return self.settings.levels

    @property
    def default_params(self) -> BKTParams:
        return self.settings.default_params

    @property
    def chunk_size(self) -> int:
        return self.settings.chunk_size

    # -- lifecycle --------------------------------------------------------------------------------------------
    def upgrade(self) -> str:
        """Migrate the schema to the latest revision; returns that revision."""
        return self._database.upgrade()

    def close(self) -> None:
        """Close the database's connections; every later call raises a :class:`StoreError` saying so (records
        already returned stay usable). Access-log entries still waiting for the database are written first."""
        if not self._database.closed:
            self._ctx.access.flush(self._ctx, last=True)
        self._database.close()

    @property
    def closed(self) -> bool:
        return self._database.closed

    def __enter__(self) -> Tutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- who is acting --------------------------------------------------------------------------------------------
    def acting_as(self, actor: str) -> AbstractContextManager[str]:
        """Log the calls made inside the ``with`` block (in this thread or asyncio task only) as ``actor``: every
        call that returns a student's data adds an entry to the audit trail. Actors name the account used:
        ``cli:alice``, ``slack:U123 (teacher T-KIM)``, ``api:gradebook``. Nestable; the inner one wins."""
        return self._ctx.access.acting_as(actor)

    @property
    def actor(self) -> str | None:
        """Who calls are logged as now (:meth:`acting_as`, else the Tutor's ``actor``); None: nothing is logged."""
        return self._ctx.access.actor

    @contextmanager
    def unit_of_work(self) -> Iterator[None]:
        """Make the calls inside the ``with`` block (in this thread) one transaction: committed at the end,
        rolled back if the block raises. Each call still fails or succeeds whole (a savepoint each). Not
        retried: use :meth:`atomically` for work that may simply run again."""
        with self._database.unit_of_work():
            yield

    def atomically(self, work: Callable[[], T]) -> T:
        """Run ``work()`` as one transaction (every Tutor call it makes shares it), retried as a whole when the
        database asks (deadlocks, lost races); returns its result."""
        return self._database.atomically(work)

    # -- curriculum ---------------------------------------------------------------------------------------------
    add_competencies = _on("curriculum", CurriculumService.add_competencies)
    add_competency = _on("curriculum", CurriculumService.add_competency)
    competencies = _on("curriculum", CurriculumService.competencies)
    add_content_items = _on("curriculum", CurriculumService.add_content_items)
    add_content_item = _on("curriculum", CurriculumService.add_content_item)
    content_items = _on("curriculum", CurriculumService.content_items)
    import_curriculum = _on("curriculum", CurriculumService.import_curriculum)
    add_course = _on("curriculum", CurriculumService.add_course)
    courses = _on("curriculum", CurriculumService.courses)
    course = _on("curriculum", CurriculumService.course)
    scope_and_sequence = _on("curriculum", CurriculumService.scope_and_sequence)
    import_item_bank = _on("curriculum", CurriculumService.import_item_bank)
    search_content = _on("curriculum", CurriculumService.search_content)

    # -- people and rosters -------------------------------------------------------------------------------------
    add_students = _on("roster", RosterService.add_students)
    add_student = _on("roster", RosterService.add_student)
    students = _on("roster", RosterService.students)
    add_teacher = _on("roster", RosterService.add_teacher)
    add_section = _on("roster", RosterService.add_section)
    enroll = _on("roster", RosterService.enroll)
    import_roster = _on("roster", RosterService.import_roster)
    roster_summary = _on("roster", RosterService.roster_summary)
    sections = _on("roster", RosterService.sections)
    section_roster = _on("roster", RosterService.section_roster)

    # -- responses and mastery ----------------------------------------------------------------------------------
    record_response = _on("recording", RecordingService.record_response)
    record_responses = _on("recording", RecordingService.record_responses)
    void_response = _on("recording", RecordingService.void_response)
    responses = _on("recording", RecordingService.responses)
    check_responses = _on("recording", RecordingService.check_responses)
    record_pretest = _on("recording", RecordingService.record_pretest)
    mastery = _on("recording", RecordingService.mastery)
    response_count = _on("recording", RecordingService.response_count)

    # -- parameters ---------------------------------------------------------------------------------------------
    parameters = _on("tracing", TracingService.parameters)
    set_parameters = _on("tracing", TracingService.set_parameters)
    fit_parameters = _on("tracing", TracingService.fit_parameters)

    # -- rules, playlists and flags -----------------------------------------------------------------------------
    active_ruleset = _on("decisions", DecisionService.active_ruleset)
    ruleset_history = _on("decisions", DecisionService.ruleset_history)
    publish_rules = _on("decisions", DecisionService.publish_rules)
    rollback_rules = _on("decisions", DecisionService.rollback_rules)
    simulate_rules = _on("decisions", DecisionService.simulate_rules)
    active_rules_text = _on("workbench", WorkbenchService.active_rules_text)
    check_rules_text = _on("workbench", WorkbenchService.check_rules_text)
    simulate_rules_text = _on("workbench", WorkbenchService.simulate_rules_text)
    publish_rules_text = _on("workbench", WorkbenchService.publish_rules_text)
    import_curriculum_upload = _on("workbench", WorkbenchService.import_curriculum_upload)
    playlist = _on("decisions", DecisionService.playlist)
    next_item = _on("decisions", DecisionService.next_item)
    mastered_competencies = _on("decisions", DecisionService.mastered_competencies)
    pin_item = _on("decisions", DecisionService.pin_item)
    remove_item = _on("decisions", DecisionService.remove_item)
    restore_item = _on("decisions", DecisionService.restore_item)
    flags = _on("decisions", DecisionService.flags)
    resolve_flag = _on("decisions", DecisionService.resolve_flag)
    resolve_flags = _on("decisions", DecisionService.resolve_flags)
    add_goal = _on("decisions", DecisionService.add_goal)

    # -- goals and chat identities ------------------------------------------------------------------------------
    goals = _on("conferencing", ConferencingService.goals)
    close_goal = _on("conferencing", ConferencingService.close_goal)
    add_reflection = _on("conferencing", ConferencingService.add_reflection)
    reflections = _on("conferencing", ConferencingService.reflections)
    checkins = _on("conferencing", ConferencingService.checkins)
    ask_for_help = _on("conferencing", ConferencingService.ask_for_help)
    chat_person = _on("conferencing", ConferencingService.chat_person)
    person_by_email = _on("conferencing", ConferencingService.person_by_email)
    people_by_email = _on("conferencing", ConferencingService.people_by_email)
    person = _on("conferencing", ConferencingService.person)
    link_chat_user = _on("conferencing", ConferencingService.link_chat_user)
    unlink_chat_user = _on("conferencing", ConferencingService.unlink_chat_user)
    chat_links = _on("conferencing", ConferencingService.chat_links)
    set_chat_followup = _on("conferencing", ConferencingService.set_chat_followup)
    take_chat_followup = _on("conferencing", ConferencingService.take_chat_followup)
    teacher_sections = _on("conferencing", ConferencingService.teacher_sections)

    # -- messages the bot starts --------------------------------------------------------------------------------
    teacher_contacts = _on("notifications", NotificationService.teacher_contacts)
    claim_notification = _on("notifications", NotificationService.claim_notification)
    release_notification = _on("notifications", NotificationService.release_notification)
    notifications_sent = _on("notifications", NotificationService.notifications_sent)
    remember_chat_conversation = _on("notifications", NotificationService.remember_chat_conversation)
    chat_conversation = _on("notifications", NotificationService.chat_conversation)
    student_contacts = _on("notifications", NotificationService.student_contacts)
    students_active_since = _on("notifications", NotificationService.students_active_since)
    claim_updates = _on("notifications", NotificationService.claim_updates)
    release_updates = _on("notifications", NotificationService.release_updates)
    claimed_updates = _on("notifications", NotificationService.claimed_updates)

    # -- requests chat platforms deliver more than once -------------------------------------------------------
    claim_chat_delivery = _on("deliveries", DeliveryService.claim_chat_delivery)
    prune_chat_deliveries = _on("deliveries", DeliveryService.prune_chat_deliveries)

    # -- the classroom ------------------------------------------------------------------------------------------
    small_groups = _on("classroom", ClassroomService.small_groups)
    small_groups_all = _on("classroom", ClassroomService.small_groups_all)
    peer_pairs = _on("classroom", ClassroomService.peer_pairs)
    rotation = _on("classroom", ClassroomService.rotation)
    rotation_models = _on("classroom", ClassroomService.rotation_models)
    issued_groups = _on("classroom", ClassroomService.issued_groups)
    day_list = _on("classroom", ClassroomService.day_list)
    move_to_group = _on("classroom", ClassroomService.move_to_group)

    # -- reports ------------------------------------------------------------------------------------------------
    class_mastery = _on("reports", ReportService.class_mastery)
    student_report = _on("reports", ReportService.student_report)
    class_heatmap_png = _on("reports", ReportService.class_heatmap_png)
    class_heatmap_pngs = _on("reports", ReportService.class_heatmap_pngs)
    student_report_html = _on("reports", ReportService.student_report_html)
    student_progress_png = _on("reports", ReportService.student_progress_png)

    # -- school data standards ----------------------------------------------------------------------------------
    import_xapi = _on("interop", InteropService.import_xapi)
    link_xapi_actor = _on("interop", InteropService.link_xapi_actor)
    link_xapi_actors_by_email = _on("interop", InteropService.link_xapi_actors_by_email)
    link_xapi_actors_from_csv = _on("interop", InteropService.link_xapi_actors_from_csv)
    import_case = _on("interop", InteropService.import_case)

    # -- student data: export and erasure -----------------------------------------------------------------------
    export_student = _on("privacy", PrivacyService.export_student)
    erase_student = _on("privacy", PrivacyService.erase_student)
    erase_section = _on("privacy", PrivacyService.erase_section)
    erase_all_students = _on("privacy", PrivacyService.erase_all_students)
    inactive_students = _on("privacy", PrivacyService.inactive_students)
    erase_inactive_students = _on("privacy", PrivacyService.erase_inactive_students)
    # -- the audit trail ----------------------------------------------------------------------------------------
    audit_entries = _on("audit", AuditService.audit_entries)

    # -- web sign-in and roles ----------------------------------------------------------------------------------
    sign_in_link_token = _on("access", AccessService.sign_in_link_token)
    redeem_sign_in = _on("access", AccessService.redeem_sign_in)
    sign_in_link_user = _on("access", AccessService.sign_in_link_user)
    web_user = _on("access", AccessService.web_user)
    grant_role = _on("access", AccessService.grant_role)
    revoke_role = _on("access", AccessService.revoke_role)
    role_grants = _on("access", AccessService.role_grants)
    staff = _on("access", AccessService.staff)
    web_session_secret = _on("access", AccessService.web_session_secret)
