//! The audit trail: who did what to which record, when and from where. Append-only.

use crate::ids::{AuditId, OrganisationId, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Who is acting. The system itself acts for migrations, demo loading and scheduled jobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: Option<UserId>,
    pub organisation: Option<OrganisationId>,
    /// A short description for system actors (`"hearth demo"`), or the user's e-mail.
    pub label: String,
    /// Network address the request came from, when there was a request.
    pub from: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Self { user: None, organisation: None, label: label.to_owned(), from: None }
    }
}

/// One line of the audit log. `action` is a stable dotted verb (`vacancy.update`, `child.read`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: Timestamp,
    pub user: Option<UserId>,
    pub organisation: Option<OrganisationId>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub from: Option<String>,
    /// A short, non-personal summary of the change (never a child's details).
    pub detail: Option<String>,
}
