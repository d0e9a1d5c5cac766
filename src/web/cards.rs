//! What pages show of listings and zones, worded and formatted for the visitor's language.
//! Templates only place these strings; user text stays text (askama escapes it).

use crate::catalog::rules::ListingStatus;
use crate::catalog::ListingView;
use crate::i18n::{money, Locale};
use crate::zones::ZoneView;

/// A listing as a card in a list.
pub struct ListingCard {
    pub id: String,
    pub title: String,
    pub seller_id: String,
    pub seller: String,
    /// `¥31.50`: the price at the MOQ, or the zone price on zone pages.
    pub price: String,
    /// The deepest tier's price, when it is below the MOQ price (`低至 ¥26.77`).
    pub as_low_as: Option<String>,
    /// The listing's own price at its MOQ, struck through when a lower zone price is shown.
    pub list_price: Option<String>,
    pub unit: String,
    /// `MOQ 100 pieces`, worded.
    pub moq: String,
    pub origin: String,
    pub certifications: Vec<String>,
    pub image: Option<String>,
    pub sold_out: bool,
    pub featured: bool,
    /// Buyers get a form to put the listing on their procurement list: the zone it is added
    /// from (empty outside zones) and the MOQ as the first quantity.
    pub add_to_list: Option<(String, i32)>,
}

/// A unit's word in a language (`piece` → `件`).
pub fn unit(locale: Locale, unit: &str) -> String {
    locale.unit(unit)
}

/// A province's name in a language.
pub fn province(locale: Locale, name: &str) -> String {
    locale.province(name)
}

/// A certification's name in a language (`three_same` → `三同`).
pub fn certification(locale: Locale, code: &str) -> String {
    locale.t(&format!("cert-{code}"))
}

/// The lowest unit price of a listing's tiers.
pub fn lowest_price(listing: &ListingView) -> i64 {
    listing
        .price_tiers
        .iter()
        .map(|t| t.unit_price_cents)
        .min()
        .unwrap_or_default()
}

/// The price a buyer pays ordering the listing's MOQ: what every card shows and what the
/// price sort orders by.
pub fn moq_price(listing: &ListingView) -> i64 {
    crate::catalog::rules::price_for_quantity(&listing.price_tiers, listing.moq.into())
        .unwrap_or_else(|| lowest_price(listing))
}

impl ListingCard {
    pub fn new(locale: Locale, l: &ListingView) -> ListingCard {
        let (at_moq, lowest) = (moq_price(l), lowest_price(l));
        ListingCard {
            id: l.id.to_string(),
            title: l.title_in(locale).to_string(),
            seller_id: l.seller.id.to_string(),
            seller: l.seller.name.clone(),
            price: money(at_moq),
            as_low_as: (lowest < at_moq)
                .then(|| locale.t_with("listing-as-low-as", &[("price", money(lowest).into())])),
            list_price: None,
            unit: unit(locale, &l.unit),
            moq: locale.t_with(
                "listing-moq",
                &[
                    ("count", l.moq.into()),
                    ("unit", unit(locale, &l.unit).into()),
                ],
            ),
            origin: province(locale, &l.origin_province),
            certifications: l
                .certifications
                .iter()
                .map(|c| certification(locale, c))
                .collect(),
            image: l.images.first().map(|i| i.url.clone()),
            sold_out: l.status == ListingStatus::SoldOut.as_str(),
            featured: false,
            add_to_list: None,
        }
    }

    /// The card of a zone entry: the zone price instead of the listing's where there is one.
    pub fn in_zone(
        locale: Locale,
        l: &ListingView,
        zone_price: Option<i64>,
        featured: bool,
    ) -> ListingCard {
        let mut card = ListingCard::new(locale, l);
        if let Some(zone_price) = zone_price {
            // The zone price, with the listing's own price at its MOQ struck through when it
            // is higher: a discount never reads as a mark-up.
            let at_moq = moq_price(l);
            card.price = money(zone_price);
            card.list_price = (at_moq > zone_price).then(|| money(at_moq));
            card.as_low_as = None;
        }
        card.featured = featured;
        card
    }
}

/// A zone as a card.
pub struct ZoneCard {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    /// `live`, `upcoming`, `over` or `always` (unscheduled).
    pub state: &'static str,
    pub state_label: String,
    /// `1 Dec 2026 – 31 Dec 2026`, or empty when unscheduled.
    pub schedule: String,
    pub operator: String,
    pub listings: String,
}

impl ZoneCard {
    pub fn new(locale: Locale, z: &ZoneView) -> ZoneCard {
        let state = z.schedule_state.map(|s| s.as_str()).unwrap_or("always");
        let schedule = match (z.starts_at, z.ends_at) {
            (Some(from), Some(to)) => format!(
                "{} – {}",
                locale.date(from.naive_utc()),
                locale.end_date(to.naive_utc())
            ),
            (Some(from), None) => locale.t_with(
                "zone-from",
                &[("date", locale.date(from.naive_utc()).into())],
            ),
            (None, Some(to)) => locale.t_with(
                "zone-until",
                &[("date", locale.end_date(to.naive_utc()).into())],
            ),
            (None, None) => String::new(),
        };
        ZoneCard {
            slug: z.slug.clone(),
            name: z.name.clone(),
            description: z.description.clone(),
            kind: locale.t(&format!("zone-kind-{}", z.kind)),
            state,
            state_label: locale.t(&format!("zone-state-{state}")),
            schedule,
            operator: z.operator.name.clone(),
            listings: locale.t_with(
                "zone-listings-count",
                &[("count", z.counts.approved.into())],
            ),
        }
    }
}
