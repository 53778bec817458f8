// The Database interface for Kysely. Times are ISO-8601 UTC strings, dates are YYYY-MM-DD,
// flags are 0/1 integers: the same on SQLite and PostgreSQL (ADR 004).
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const CONSTITUENCIES = [
  "service_provider",
  "researcher",
  "advocate",
  "donor",
  "sex_worker_or_community_member",
  "other",
] as const;
export type Constituency = (typeof CONSTITUENCIES)[number];

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  created_at: string;
}

export interface PeopleTable {
  id: Generated<number>;
  email: string;
  full_name: string | null;
  public_name: string | null;
  pronouns: string | null;
  organization_id: number | null;
  constituency: Constituency | null;
  country: string | null;
  /** JSON array of language names */
  languages: Generated<string>;
  profile_completed_at: string | null;
  created_at: string;
  updated_at: string;
  /** 1: no reminders before due dates; 2 kinds of mail a person can turn off */
  reminders_off: Generated<number>;
  digest_off: Generated<number>;
  /** 1: no mail when a published agenda changes */
  agenda_mail_off: Generated<number>;
  /** 1: no group messages from organizers that are not essential */
  messages_off: Generated<number>;
  /** set when the person deleted their account: everything personal is erased, the id stays for the agenda */
  deleted_at: string | null;
}

export type ConveningStatus = "draft" | "published" | "archived";

export interface ConveningsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  description: Generated<string>;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  locale: Generated<string>;
  venue: Generated<string>;
  status: Generated<ConveningStatus>;
  created_at: string;
  registration_opens_at: string | null;
  registration_closes_at: string | null;
  /** null: no limit on in-person places */
  capacity_in_person: number | null;
  approval_required: Generated<number>;
  cfp_opens_at: string | null;
  cfp_closes_at: string | null;
  /** JSON array of SessionFormat */
  cfp_formats: Generated<string>;
  /** JSON array of minutes */
  cfp_lengths: Generated<string>;
  review_anonymous: Generated<number>;
  interest_open: Generated<number>;
  /** YYYY-MM-DD; null: 90 days after the convening ends */
  retention_on: string | null;
  sensitive_erased_at: string | null;
  /** raised when a facilitator's shown name may have changed (cached calendars are keyed by it) */
  names_version: Generated<number>;
}

export const SESSION_FORMATS = ["workshop", "panel", "roundtable", "caucus", "skill_share", "plenary"] as const;
export type SessionFormat = (typeof SESSION_FORMATS)[number];
export const SESSION_NEEDS = ["interpretation", "step_free", "captioning", "projector"] as const;
export type SessionNeed = (typeof SESSION_NEEDS)[number];
export const PROPOSAL_STATUSES = [
  "draft",
  "submitted",
  "pending_accepted",
  "pending_declined",
  "pending_waitlisted",
  "accepted",
  "declined",
  "waitlisted",
  "withdrawn",
  "confirmed",
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface ReviewCriteriaTable {
  id: Generated<number>;
  convening_id: number;
  name: string;
  description: Generated<string>;
  weight: Generated<number>;
  position: number;
}

export interface ProposalsTable {
  id: Generated<number>;
  convening_id: number;
  proposer_id: number | null;
  status: ProposalStatus;
  title: string;
  abstract: Generated<string>;
  description: Generated<string>;
  /** null on a draft that has not chosen yet; a submitted proposal always has them */
  format: SessionFormat | null;
  length_minutes: number | null;
  primary_track_id: number | null;
  /** JSON arrays */
  languages: Generated<string>;
  audience_size: number | null;
  needs: Generated<string>;
  decision_message: string | null;
  /** raised by every decision taken (state or message), so a release preview can tell it is stale */
  decision_revision: Generated<number>;
  /** 1: the scheduler puts nothing else in this session's slot (plenaries run alone by their format) */
  alone_in_slot: Generated<number>;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProposalTracksTable {
  proposal_id: number;
  track_id: number;
  is_primary: Generated<number>;
}

export interface FacilitatorsTable {
  id: Generated<number>;
  proposal_id: number;
  person_id: number | null;
  /** the invited address, until the invitation is answered */
  email: string | null;
  role: "proposer" | "co";
  status: "invited" | "accepted" | "declined";
  invite_token_hash: string | null;
  anonymous_label: string | null;
  created_at: string;
  responded_at: string | null;
}

export interface ReviewsTable {
  id: Generated<number>;
  proposal_id: number;
  reviewer_id: number | null;
  comment: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface ReviewScoresTable {
  review_id: number;
  criterion_id: number;
  score: number;
}

export const ROOM_FEATURES = ["step_free", "interpretation", "captioning", "projector"] as const;
export type RoomFeature = (typeof ROOM_FEATURES)[number];
export const FIXED_KINDS = ["plenary", "break", "meal", "other"] as const;

export interface RoomsTable {
  id: Generated<number>;
  convening_id: number;
  name: string;
  capacity: number;
  /** JSON array of RoomFeature */
  features: Generated<string>;
  position: number;
}

export interface SlotsTable {
  id: Generated<number>;
  convening_id: number;
  starts_at: string;
  minutes: number;
}

export interface FixedItemsTable {
  id: Generated<number>;
  convening_id: number;
  slot_id: number;
  /** null: the whole venue (a break or meal in every room) */
  room_id: number | null;
  title: string;
  kind: (typeof FIXED_KINDS)[number];
}

export interface PlacementsTable {
  id: Generated<number>;
  convening_id: number;
  proposal_id: number;
  slot_id: number;
  room_id: number;
  pinned: Generated<number>;
}

export interface UnavailabilityTable {
  person_id: number;
  slot_id: number;
}

export const SUGGESTION_STATUSES = ["queued", "running", "done", "stopped", "failed", "accepted", "discarded"] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** "Suggest" as a job run off the request path; see docs/decisions/015-suggestions-off-the-request-path.md. */
export interface SuggestionJobsTable {
  id: Generated<number>;
  convening_id: number;
  status: Generated<SuggestionStatus>;
  keep_published: Generated<number>;
  fairness: Generated<number>;
  time_limit_ms: number;
  stop_requested: Generated<number>;
  stale: Generated<number>;
  /** JSON: { elapsedMs, timeLimitMs, iterations, best: Score } */
  progress: string | null;
  /** JSON: Score of the working agenda when the job started */
  current_score: string | null;
  /** JSON: { placements, unplaced, score, moves } */
  result: string | null;
  error: string | null;
  claimed_by: string | null;
  heartbeat_at: string | null;
  started_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface AgendaVersionsTable {
  id: Generated<number>;
  convening_id: number;
  number: number;
  note: Generated<string>;
  published_at: string;
  published_by: number | null;
  /** JSON: the changelog against the previous version */
  changes: Generated<string>;
}

export interface AgendaEntriesTable {
  id: Generated<number>;
  version_id: number;
  proposal_id: number | null;
  fixed_item_id: number | null;
  title: string;
  starts_at: string;
  minutes: number;
  slot_id: number | null;
  room_id: number | null;
  room_name: Generated<string>;
  /** rises whenever the session's time, room or title changes in a newly published version */
  sequence: Generated<number>;
  status: Generated<"confirmed" | "cancelled">;
}

export interface InterestsTable {
  person_id: number;
  proposal_id: number;
  created_at: string;
}

export const REGISTRATION_STATUSES = ["pending", "confirmed", "waitlisted", "declined", "cancelled"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const ATTENDANCE = ["in_person", "remote"] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ACCESS_NEEDS = ["step_free", "sign_language", "captioning", "large_print", "quiet_room"] as const;
export type AccessNeed = (typeof ACCESS_NEEDS)[number];

export interface RegistrationsTable {
  id: Generated<number>;
  convening_id: number;
  person_id: number;
  status: RegistrationStatus;
  attendance: Attendance;
  /** the name shown to other participants for this convening */
  display_name: string;
  pronouns: string | null;
  organization: string | null;
  constituency: Constituency | null;
  country: string | null;
  /** JSON arrays */
  languages: Generated<string>;
  interpretation: Generated<string>;
  access_needs: Generated<string>;
  access_other: string | null;
  dietary: string | null;
  support_requested: Generated<number>;
  support_reason: string | null;
  emergency_contact: string | null;
  consent_directory: Generated<number>;
  consent_contact: Generated<number>;
  consent_photos: Generated<number>;
  organizer_message: string | null;
  /** when the registration joined the queue for a place: the waitlist is served in this order */
  queued_at: string;
  attended_at: string | null;
  /** short code the check-in desk searches by and the QR code carries; unique per convening */
  check_in_code: string;
  created_at: string;
  updated_at: string;
}

export interface RegistrationTracksTable {
  registration_id: number;
  track_id: number;
}

export const QUESTION_KINDS = ["short_text", "long_text", "one_choice", "several_choices", "yes_no", "date"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** An organizer's own question on a convening's registration form. */
export interface RegistrationQuestionsTable {
  id: Generated<number>;
  convening_id: number;
  kind: QuestionKind;
  label: string;
  help: string | null;
  required: Generated<number>;
  /** 1: answers are read only by organizers who read sensitive answers, and erased on the retention date */
  sensitive: Generated<number>;
  /** JSON: [{ id, label, retired }] for the choice kinds */
  options: Generated<string>;
  position: number;
  /** a retired question leaves the form; its answers stay */
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RegistrationAnswersTable {
  id: Generated<number>;
  registration_id: number;
  question_id: number;
  /** text, a date, "yes"/"no", or a JSON list of option ids */
  value: string;
  /** the question's label when answered */
  label: string;
  /** JSON: the chosen options' labels when answered */
  option_labels: Generated<string>;
  answered_at: string;
}

export interface TracksTable {
  id: Generated<number>;
  convening_id: number;
  slug: string;
  name: string;
  description: Generated<string>;
  color: string;
  position: number;
}

export type RoleName = "organizer" | "reviewer";

export interface RolesTable {
  id: Generated<number>;
  person_id: number;
  /** null: the role holds for every convening */
  convening_id: number | null;
  role: RoleName;
  track_id: number | null;
  /** organizers only: 1 when this organizer may read sensitive answers */
  reads_sensitive: Generated<number>;
  created_at: string;
}

export interface LoginTokensTable {
  id: Generated<number>;
  email: string;
  token_hash: string;
  code_hash: string;
  code_attempts: Generated<number>;
  redirect_to: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  person_id: number;
  created_at: string;
  expires_at: string;
}

export type MailStatus = "queued" | "sending" | "sent" | "failed";

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  person_id: number | null;
  convening_id: number | null;
  template: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: Generated<MailStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  sent_at: string | null;
  error: string | null;
  dedupe_key: string | null;
  created_at: string;
  /** an iCalendar part sent with the mail (invitations), and its METHOD */
  ics: string | null;
  ics_method: "REQUEST" | "CANCEL" | null;
  /** the one-click unsubscribe link of a non-essential mail */
  unsubscribe_url: Generated<string | null>;
  /** 0 transactional (sent first), 1 bulk: see BULK_TEMPLATES */
  priority: Generated<number>;
}

export interface FeedTokensTable {
  id: Generated<number>;
  person_id: number;
  kind: "agenda" | "actions";
  /** raised on every reset: the token is derived from it, so old URLs stop working */
  counter: Generated<number>;
  token_hash: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  convening_id: number | null;
  action: string;
  subject_type: string;
  subject_id: number | null;
  /** JSON object; never holds sensitive values themselves, only which fields were touched */
  details: Generated<string>;
  at: string;
}

/** A creating form's submission, kept so that the same one sent again creates nothing twice. */
export interface FormSubmissionsTable {
  token: string;
  form: string;
  person_id: number;
  /** a keyed hash of what the form held (a page reloaded on Back holds it again, under a new token) */
  fingerprint: string;
  /** where the first answer led (a repeat is sent there too) */
  location: string;
  created_at: string;
}

export interface RateLimitHitsTable {
  id: Generated<number>;
  bucket: string;
  at: string;
}

export interface JobRunsTable {
  name: string;
  last_run_at: string;
}

export const ACTION_STATUSES = ["open", "in_progress", "done", "dropped"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface ActionItemsTable {
  id: Generated<number>;
  convening_id: number;
  proposal_id: number | null;
  title: string;
  /** YYYY-MM-DD */
  due_on: string;
  visibility: Generated<"group" | "organizers">;
  status: Generated<ActionStatus>;
  closing_note: string | null;
  carried_from: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ActionOwnersTable {
  id: Generated<number>;
  action_id: number;
  person_id: number | null;
  organization_id: number | null;
}

export interface ActionUpdatesTable {
  id: Generated<number>;
  action_id: number;
  author_id: number | null;
  text: string;
  status_from: ActionStatus | null;
  status_to: ActionStatus | null;
  at: string;
}

export interface SessionNotesTable {
  id: Generated<number>;
  proposal_id: number;
  author_id: number | null;
  text: string;
  created_at: string;
}

/** A person's choice to facilitate anonymously at one convening, under a label they chose. */
export interface FacilitationLabelsTable {
  convening_id: number;
  person_id: number;
  label: string;
  updated_at: string;
}

/** A message organizers wrote to a filtered group of a convening's registrants; its mails are outbox rows. */
export interface GroupMessagesTable {
  id: Generated<number>;
  convening_id: number;
  /** JSON: the filters that chose the group */
  filter: Generated<string>;
  subject: string;
  body: string;
  /** 1: logistics nobody may opt out of; sent without an unsubscribe link */
  essential: Generated<number>;
  recipients: number;
  /** people the filters chose who had turned these messages off */
  left_out: Generated<number>;
  preview_token: string;
  queued_by: number | null;
  queued_at: string;
}

/** A person an organizer named to check people in at a convening's door. */
export interface DeskVolunteersTable {
  id: Generated<number>;
  convening_id: number;
  person_id: number;
  added_by: number | null;
  created_at: string;
}

/** A convening's visa invitation letter, written once by its organizers; the body holds {placeholders}. */
export interface LetterTemplatesTable {
  convening_id: number;
  letterhead: string;
  signer_name: string;
  signer_role: string;
  body: string;
  updated_by: number | null;
  updated_at: string;
}

export const LETTER_STATUSES = ["requested", "approved", "declined"] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

/** A participant's request for a visa invitation letter. Passport details are sensitive and set to null on the retention date. */
export interface LetterRequestsTable {
  id: Generated<number>;
  convening_id: number;
  registration_id: number;
  status: Generated<LetterStatus>;
  passport_name: string | null;
  nationality: string | null;
  passport_number: string | null;
  /** YYYY-MM-DD */
  birth_date: string | null;
  note: string | null;
  organizer_message: string | null;
  decided_by: number | null;
  decided_at: string | null;
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  people: PeopleTable;
  convenings: ConveningsTable;
  tracks: TracksTable;
  roles: RolesTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  mail_outbox: MailOutboxTable;
  audit_log: AuditLogTable;
  rate_limit_hits: RateLimitHitsTable;
  form_submissions: FormSubmissionsTable;
  job_runs: JobRunsTable;
  registrations: RegistrationsTable;
  registration_tracks: RegistrationTracksTable;
  registration_questions: RegistrationQuestionsTable;
  registration_answers: RegistrationAnswersTable;
  review_criteria: ReviewCriteriaTable;
  proposals: ProposalsTable;
  proposal_tracks: ProposalTracksTable;
  facilitators: FacilitatorsTable;
  reviews: ReviewsTable;
  review_scores: ReviewScoresTable;
  interests: InterestsTable;
  rooms: RoomsTable;
  slots: SlotsTable;
  fixed_items: FixedItemsTable;
  placements: PlacementsTable;
  unavailability: UnavailabilityTable;
  suggestion_jobs: SuggestionJobsTable;
  agenda_versions: AgendaVersionsTable;
  agenda_entries: AgendaEntriesTable;
  feed_tokens: FeedTokensTable;
  action_items: ActionItemsTable;
  action_owners: ActionOwnersTable;
  action_updates: ActionUpdatesTable;
  session_notes: SessionNotesTable;
  facilitation_labels: FacilitationLabelsTable;
  group_messages: GroupMessagesTable;
  desk_volunteers: DeskVolunteersTable;
  letter_templates: LetterTemplatesTable;
  letter_requests: LetterRequestsTable;
  support_budgets: SupportBudgetsTable;
  support_requests: SupportRequestsTable;
  support_request_items: SupportRequestItemsTable;
}

export const SUPPORT_KINDS = ["travel", "lodging", "per_diem", "visa_fees"] as const;
export type SupportKind = (typeof SUPPORT_KINDS)[number];
export const SUPPORT_STATUSES = ["waiting", "granted", "partly_granted", "declined"] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

/** A convening's travel-support budget, in whole minor units of one currency. */
export interface SupportBudgetsTable {
  convening_id: number;
  amount_cents: number;
  currency: string;
  updated_by: number | null;
  updated_at: string;
}

/** A registrant's request for support (one per registration); reason and message are sensitive. */
export interface SupportRequestsTable {
  id: Generated<number>;
  registration_id: number;
  convening_id: number;
  status: Generated<SupportStatus>;
  reason: string | null;
  message: string | null;
  /** 1: changed by the person after a decision, waiting again */
  changed_after_decision: Generated<number>;
  requested_at: string;
  decided_at: string | null;
  decided_by: number | null;
  erased_at: string | null;
}

/** One kind of a request; amounts in whole minor units, null once erased (or not granted yet). */
export interface SupportRequestItemsTable {
  request_id: number;
  kind: SupportKind;
  currency: string;
  requested_cents: number | null;
  granted_cents: number | null;
}

export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type Convening = Selectable<ConveningsTable>;
export type NewConvening = Insertable<ConveningsTable>;
export type Track = Selectable<TracksTable>;
export type Role = Selectable<RolesTable>;
export type LoginToken = Selectable<LoginTokensTable>;
export type MailRow = Selectable<MailOutboxTable>;
export type NewMail = Insertable<MailOutboxTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Registration = Selectable<RegistrationsTable>;
export type LetterTemplate = Selectable<LetterTemplatesTable>;
export type LetterRequest = Selectable<LetterRequestsTable>;
export type Proposal = Selectable<ProposalsTable>;
export type Facilitator = Selectable<FacilitatorsTable>;
