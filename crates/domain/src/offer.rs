//! A provider's answer to a referral: an offer of a home at a price, or a decline with a reason.

use crate::code_list;
use crate::home::WeeklyPrice;
use crate::ids::{HomeId, OfferId, OrganisationId, ReferralId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

code_list! {
    pub enum OfferStatus ("offer_status") {
        Made = "made" => "Offered",
        Withdrawn = "withdrawn" => "Withdrawn by the provider",
        Accepted = "accepted" => "Accepted",
        NotChosen = "not_chosen" => "Closed: another offer was accepted",
        Lapsed = "lapsed" => "Closed: the referral ended",
    }
}

code_list! {
    /// Why a provider declined. These feed commissioners' unmet-need figures.
    pub enum DeclineReason ("decline_reason") {
        NoVacancy = "no_vacancy" => "No vacancy",
        CannotMeetNeeds = "cannot_meet_needs" => "Cannot meet the child's needs",
        ImpactOnCurrentChildren = "impact_on_current_children" => "Impact on children already living there",
        Location = "location" => "Location",
        Staffing = "staffing" => "Staffing",
        Price = "price" => "Price",
        Other = "other" => "Other",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub referral: ReferralId,
    pub provider: OrganisationId,
    pub home: HomeId,
    pub weekly_price: WeeklyPrice,
    pub start: Date,
    pub status: OfferStatus,
    pub made_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub referral: ReferralId,
    pub provider: OrganisationId,
    pub reason: DeclineReason,
    pub declined_at: Timestamp,
}
