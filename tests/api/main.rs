//! The integration suite as one program: each module tests one feature (or one concern such
//! as races, operations or plans) through the real service; `harness` starts it.

mod harness;

mod admin;
mod after_sales;
mod auth;
mod catalog;
mod cli;
mod import;
mod integrity;
mod invoices;
mod mail;
mod messages;
mod notifications;
mod operations;
mod orders;
mod organizations;
mod payments;
mod plans;
mod purchase_requests;
mod races;
mod reports;
mod schema;
mod search;
mod web;
mod zones;
