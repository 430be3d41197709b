"""Everything that changes newsletter state or sends mail, split by job.

Views, admin actions and management commands call these functions (as
`services.subscriber_signup(...)`); none of them duplicates the rules here. No function
logs or returns an address in an error text.
"""

from .editing import (
    deliveries_mark_sent,
    deliveries_resend,
    deliveries_retry_failed,
    issue_pause,
    issue_schedule,
)
from .mail import (
    UNSUBSCRIBE_PLACEHOLDER,
    RenderedIssue,
    absolute,
    confirm_url,
    issue_message,
    issue_render,
    issue_subject,
    list_id,
    mail_domain,
    unsubscribe_url,
)
from .outbox import OutboxReport, outbox_deliver, outbox_deliver_quietly
from .sending import SendReport, issue_send, issue_start, newsletter_send_due
from .subscriptions import (
    AlreadySubscribed,
    Confirmation,
    TokenInvalid,
    signup_request_record,
    signup_requests_process,
    signup_requests_process_quietly,
    subscriber_confirm,
    subscriber_erase,
    subscriber_for_confirm_token,
    subscriber_for_unsubscribe_token,
    subscriber_resubscribe,
    subscriber_signup,
    subscriber_unsubscribe,
    subscribers_purge_unconfirmed,
)
from .transfer import (
    EXPORT_FIELDS,
    ImportReport,
    csv_safe,
    subscribers_export_csv,
    subscribers_import,
)

__all__ = [
    "AlreadySubscribed",
    "Confirmation",
    "EXPORT_FIELDS",
    "UNSUBSCRIBE_PLACEHOLDER",
    "ImportReport",
    "OutboxReport",
    "RenderedIssue",
    "SendReport",
    "TokenInvalid",
    "absolute",
    "confirm_url",
    "csv_safe",
    "deliveries_mark_sent",
    "deliveries_resend",
    "deliveries_retry_failed",
    "issue_message",
    "issue_pause",
    "issue_render",
    "issue_schedule",
    "issue_send",
    "issue_start",
    "issue_subject",
    "list_id",
    "mail_domain",
    "newsletter_send_due",
    "outbox_deliver",
    "outbox_deliver_quietly",
    "subscriber_confirm",
    "subscriber_erase",
    "subscriber_for_confirm_token",
    "subscriber_for_unsubscribe_token",
    "subscriber_resubscribe",
    "subscriber_signup",
    "subscriber_unsubscribe",
    "subscribers_export_csv",
    "subscribers_import",
    "subscribers_purge_unconfirmed",
    "signup_request_record",
    "signup_requests_process",
    "signup_requests_process_quietly",
    "unsubscribe_url",
]
