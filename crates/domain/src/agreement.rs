//! The Individual Placement Agreement (IPA): the contract for one child's placement, written from the
//! accepted offer and the referral, signed by the council and the provider.
//!
//! What is signed is the exact text: each signature carries the SHA-256 of the text its signer saw, so
//! a signature can never be moved onto different words. Once both parties have signed, the version is
//! locked; any change is a new version that both sign again.

use crate::code_list;
use crate::ids::{ChildId, OfferId, OrganisationId, ReferralId, UserId};
use crate::lifecycle::Lifecycle;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

code_list! {
    /// Who signs an agreement.
    pub enum Party ("party") {
        Council = "council" => "The council",
        Provider = "provider" => "The provider",
    }
}

/// One child as the agreement names them. The provider sees these only once its offer is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementChild {
    pub id: ChildId,
    /// The council's own case reference.
    pub reference: String,
    pub date_of_birth: Date,
}

/// Everything the text is written from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementTerms {
    pub referral: ReferralId,
    pub offer: OfferId,
    pub council: String,
    pub provider: String,
    pub home: String,
    pub home_urn: Option<String>,
    /// The placement type's label (SSDA903 PLACE).
    pub placement_type: String,
    pub children: Vec<AgreementChild>,
    pub start: Date,
    pub weekly_price: u32,
    pub includes: String,
    pub needs: Vec<String>,
    /// Anything the parties add in this version (changed terms, a new review date).
    pub notes: String,
}

/// The text of version `version` of an agreement. Plain UTF-8 with short lines, so it reads the same
/// downloaded, printed or shown on a page, and hashes the same everywhere.
pub fn render(terms: &AgreementTerms, version: u32) -> String {
    let mut t = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(t, "INDIVIDUAL PLACEMENT AGREEMENT");
    let _ = writeln!(t, "Version {version} - referral {} - offer {}", terms.referral, terms.offer);
    let _ = writeln!(t);
    let _ = writeln!(t, "Between {} (the council)", terms.council);
    let _ = writeln!(t, "and {} (the provider).", terms.provider);
    let _ = writeln!(t);
    let _ = writeln!(t, "1. The placement");
    let urn = terms.home_urn.as_deref().map(|u| format!(" (Ofsted URN {u})")).unwrap_or_default();
    let _ = writeln!(t, "Home: {}{urn}", terms.home);
    let _ = writeln!(t, "Type: {}", terms.placement_type);
    let _ = writeln!(t, "Start date: {}", terms.start.strftime("%-d %B %Y"));
    let _ = writeln!(t);
    let _ = writeln!(t, "2. The child or children");
    for c in &terms.children {
        let _ = writeln!(
            t,
            "- Hearth child {}, council reference {}, born {}",
            c.id,
            c.reference,
            c.date_of_birth.strftime("%-d %B %Y")
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "3. Needs the provider has agreed to meet");
    if terms.needs.is_empty() {
        let _ = writeln!(t, "- As set out in the referral.");
    }
    for n in &terms.needs {
        let _ = writeln!(t, "- {n}");
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "4. Cost");
    let _ = writeln!(t, "The council pays the provider GBP {} a week.", terms.weekly_price);
    let includes = if terms.includes.is_empty() { "Nothing beyond the placement itself." } else { &terms.includes };
    let _ = writeln!(t, "The weekly price includes: {includes}");
    let _ = writeln!(t);
    let _ = writeln!(t, "5. Other terms");
    let notes = if terms.notes.is_empty() { "None." } else { &terms.notes };
    let _ = writeln!(t, "{notes}");
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Both parties sign this exact text. A change to it is a new version, which both parties sign again."
    );
    t
}

/// The SHA-256 of `text`, as 64 lowercase hex digits.
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Who signed, when, and the hash of the text they signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub party: Party,
    pub user: UserId,
    pub organisation: OrganisationId,
    pub name: String,
    pub at: Timestamp,
    pub text_hash: String,
}

/// One version of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub id: i64,
    pub referral: ReferralId,
    pub offer: OfferId,
    pub version: u32,
    pub text: String,
    pub text_hash: String,
    pub created_at: Timestamp,
    pub signatures: Vec<Signature>,
    /// A later version replaced this one.
    pub superseded: bool,
}

impl Agreement {
    pub fn signed_by(&self, party: Party) -> Option<&Signature> {
        self.signatures.iter().find(|s| s.party == party)
    }

    /// Both parties have signed: the text can no longer change.
    pub fn is_locked(&self) -> bool {
        self.signed_by(Party::Council).is_some() && self.signed_by(Party::Provider).is_some()
    }

    pub fn status(&self) -> AgreementStatus {
        match (self.superseded, self.signed_by(Party::Council), self.signed_by(Party::Provider)) {
            (true, _, _) => AgreementStatus::Superseded,
            (false, Some(_), Some(_)) => AgreementStatus::Signed,
            (false, Some(_), None) => AgreementStatus::SignedByCouncil,
            (false, None, Some(_)) => AgreementStatus::SignedByProvider,
            (false, None, None) => AgreementStatus::Unsigned,
        }
    }

    /// Checks that `party` may sign this version, having seen text hashing to `seen_hash`.
    pub fn check_signature(&self, party: Party, seen_hash: &str) -> Result<(), SignRefused> {
        let version = self.version;
        if self.superseded {
            return Err(SignRefused::Superseded { version, latest: None });
        }
        if self.signed_by(party).is_some() {
            return Err(SignRefused::AlreadySigned { party, version });
        }
        if seen_hash != self.text_hash {
            return Err(SignRefused::OtherText { version });
        }
        Ok(())
    }
}

code_list! {
    /// Where one version of an agreement stands. Signed by both, it is locked; a change is a new
    /// version, which supersedes this one at any point.
    pub enum AgreementStatus ("agreement_status") {
        Unsigned = "unsigned" => "Waiting for both signatures",
        SignedByCouncil = "signed_by_council" => "Signed by the council",
        SignedByProvider = "signed_by_provider" => "Signed by the provider",
        Signed = "signed" => "Signed by both",
        Superseded = "superseded" => "Replaced by a newer version",
    }
}

impl Lifecycle for AgreementStatus {
    const NOUN: &'static str = "agreement";
    const MOVES: &'static [(Self, Self)] = &[
        (Self::Unsigned, Self::SignedByCouncil),
        (Self::Unsigned, Self::SignedByProvider),
        (Self::SignedByCouncil, Self::Signed),
        (Self::SignedByProvider, Self::Signed),
        (Self::Unsigned, Self::Superseded),
        (Self::SignedByCouncil, Self::Superseded),
        (Self::SignedByProvider, Self::Superseded),
        (Self::Signed, Self::Superseded),
    ];

    fn words(self) -> String {
        self.label().to_lowercase()
    }
}

/// A signature refused, in the sentence the signer reads; a conflict (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignRefused {
    /// `latest` when the caller knows the newest version's number.
    Superseded {
        version: u32,
        latest: Option<u32>,
    },
    AlreadySigned {
        party: Party,
        version: u32,
    },
    /// The hash sent is not this version's: the signer read other words.
    OtherText {
        version: u32,
    },
}

impl std::fmt::Display for SignRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Superseded { version, latest } => {
                let by = latest.map_or_else(|| "a newer version".to_owned(), |l| format!("version {l}"));
                write!(f, "version {version} of the agreement has been replaced by {by}; read and sign that one")
            }
            Self::AlreadySigned { party, version } => {
                write!(f, "{} has already signed version {version} of the agreement", party.label().to_lowercase())
            }
            Self::OtherText { version } => {
                write!(
                    f,
                    "the text signed is not the text of version {version}; reload the agreement and read it again"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn terms() -> AgreementTerms {
        AgreementTerms {
            referral: ReferralId(4),
            offer: OfferId(9),
            council: "Coventry".into(),
            provider: "Oak Fostering".into(),
            home: "Household 12".into(),
            home_urn: Some("SC123456".into()),
            placement_type: "Foster placement with other foster carer".into(),
            children: vec![AgreementChild {
                id: ChildId(1),
                reference: "CV-1".into(),
                date_of_birth: date(2012, 3, 4),
            }],
            start: date(2026, 11, 25),
            weekly_price: 950,
            includes: String::new(),
            needs: vec!["Self-harm".into()],
            notes: String::new(),
        }
    }

    fn agreement(text: String) -> Agreement {
        Agreement {
            id: 1,
            referral: ReferralId(4),
            offer: OfferId(9),
            version: 1,
            text_hash: text_hash(&text),
            text,
            created_at: Timestamp::UNIX_EPOCH,
            signatures: vec![],
            superseded: false,
        }
    }

    #[test]
    fn the_text_names_the_terms_and_its_hash_is_stable() {
        let text = render(&terms(), 1);
        assert!(text.contains("Start date: 25 November 2026"), "{text}");
        assert!(text.contains("GBP 950 a week"));
        assert!(text.contains("born 4 March 2012"));
        assert_eq!(text_hash(&text), text_hash(&render(&terms(), 1)));
        assert_ne!(text_hash(&text), text_hash(&render(&terms(), 2)));
        assert_eq!(text_hash("").len(), 64);
    }

    #[test]
    fn a_signature_must_be_of_this_text_once_per_party() {
        let mut a = agreement(render(&terms(), 1));
        assert!(a.check_signature(Party::Council, "0".repeat(64).as_str()).is_err());
        let hash = a.text_hash.clone();
        a.check_signature(Party::Council, &hash).unwrap();
        a.signatures.push(Signature {
            party: Party::Council,
            user: UserId(1),
            organisation: OrganisationId(1),
            name: "Officer".into(),
            at: Timestamp::UNIX_EPOCH,
            text_hash: hash.clone(),
        });
        assert!(a.check_signature(Party::Council, &hash).is_err());
        assert!(!a.is_locked());
        assert_eq!(a.status(), AgreementStatus::SignedByCouncil);
        assert_eq!(
            a.check_signature(Party::Council, &hash).unwrap_err().to_string(),
            "the council has already signed version 1 of the agreement"
        );
        a.check_signature(Party::Provider, &hash).unwrap();
        a.superseded = true;
        assert_eq!(
            a.check_signature(Party::Provider, &hash).unwrap_err().to_string(),
            "version 1 of the agreement has been replaced by a newer version; read and sign that one"
        );
        let told = SignRefused::Superseded { version: 1, latest: Some(3) };
        assert_eq!(
            told.to_string(),
            "version 1 of the agreement has been replaced by version 3; read and sign that one"
        );
    }
}
