//! Search: the request as parsed at the edge (`request`), one run of it (`run`) as a
//! statement on the listings (`query`) with its facet counts (`facets`), the search column
//! (`index`), and the tokenizer both indexes share (`tokens`).

pub mod facets;
pub mod index;
pub mod query;
pub mod request;
pub mod run;
pub mod tokens;

pub use request::{
    parse_search, Cursor, FacetCount, Facets, ListingPage, SearchParams, SearchRequest,
};
pub use run::run_search;
pub use tokens::*;
