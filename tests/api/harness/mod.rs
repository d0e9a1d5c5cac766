//! The integration harness: each test gets the real service on a random port with a database
//! of its own (`db`), the client that talks to it (`app`), many requests at one instant
//! (`races`), the bodies and accounts most tests start from (`fixtures`) and a browser
//! without JavaScript for the pages (`browser`).
#![allow(dead_code)]

pub mod app;
pub mod browser;
pub mod db;
pub mod fixtures;
pub mod races;

// Each test program takes what it needs.
#[allow(unused_imports)]
pub use app::*;
#[allow(unused_imports)]
pub use browser::*;
#[allow(unused_imports)]
pub use db::*;
#[allow(unused_imports)]
pub use fixtures::*;
#[allow(unused_imports)]
pub use races::*;
