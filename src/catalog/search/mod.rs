//! Search: the request as parsed at the edge (`request`), one run of it over the store with
//! its facets and cursor (`run`), and the tokenizer both indexes share (`tokens`).

pub mod request;
pub mod run;
pub mod tokens;

pub use request::{
    parse_search, Cursor, FacetCount, Facets, ListingPage, SearchParams, SearchRequest,
};
pub use run::{run_search, seller_search};
pub use tokens::*;
