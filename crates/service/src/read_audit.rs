//! Audit lines for lists of records about children. One line per request, saying which records
//! were disclosed — how many, the lowest and highest id, and a hash of the whole set — so that a data
//! protection officer can tell who saw what without the audit log itself holding a child's details.

use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::Principal;
use sha2::{Digest, Sha256};

/// `"3 records, ids 4 to 17, set sha256 1f2e…"`: the hash is over the sorted ids, so the same set
/// read twice gives the same line, and an investigator holding a candidate set can check it.
pub(crate) fn list_detail(ids: &[i64]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return "0 records".to_owned();
    };
    let joined = sorted.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let hash = hex::encode(Sha256::digest(joined.as_bytes()));
    let noun = if sorted.len() == 1 { "record" } else { "records" };
    format!("{} {noun}, ids {first} to {last}, set sha256 {}", sorted.len(), &hash[..16])
}

impl Services {
    /// Writes the audit line for a list just read. An empty list disclosed nothing and writes none.
    pub(crate) async fn audit_list_read(
        &self,
        p: &Principal,
        origin: &Origin,
        action: &str,
        record_type: &str,
        ids: &[i64],
    ) -> Result<(), ServiceError> {
        if ids.is_empty() {
            return Ok(());
        }
        let actor = actor_of(p, "list read", origin);
        self.store.record_list_read(&actor, action, record_type, &list_detail(ids), self.now()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::list_detail;

    #[test]
    fn the_line_names_the_set_not_its_contents() {
        let a = list_detail(&[17, 4, 9]);
        assert!(a.starts_with("3 records, ids 4 to 17, set sha256 "), "{a}");
        assert_eq!(a, list_detail(&[4, 9, 17]), "the same set, the same line");
        assert_ne!(a, list_detail(&[4, 10, 17]), "another set, another hash");
        assert_eq!(list_detail(&[5]).split(',').next(), Some("1 record"));
    }
}
