//! SQL text written per backend that keeps its statement in diesel's prepared-statement cache.
//!
//! `diesel::dsl::sql` marks every statement holding it uncacheable, and so does `eq_any` on
//! SQLite: such a statement is parsed and planned again on each request, which was a tenth of
//! a catalog page's time. A `Fragment` is cached like any other query, keyed by its text and
//! the types of its bound values.

use std::marker::PhantomData;

use diesel::expression::{
    is_aggregate, AppearsOnTable, Expression, SelectableExpression, TypedExpressionType,
    ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Text;
use diesel::QueryResult;

use super::types::Uuid;
use super::{Id, MultiBackend};

#[derive(Debug, Clone)]
enum Piece {
    Sql {
        sqlite: &'static str,
        postgres: &'static str,
    },
    Text(String),
    Ids(Vec<Id>),
}

/// An SQL expression of type `ST`, its text per backend, with bound values.
#[derive(Debug, Clone)]
pub struct Fragment<ST> {
    pieces: Vec<Piece>,
    sql_type: PhantomData<ST>,
}

/// The same SQL on both backends.
pub fn fragment<ST>(sql: &'static str) -> Fragment<ST> {
    Fragment {
        pieces: Vec::new(),
        sql_type: PhantomData,
    }
    .sql(sql)
}

/// SQL that differs between the backends.
pub fn per_backend<ST>(sqlite: &'static str, postgres: &'static str) -> Fragment<ST> {
    Fragment {
        pieces: Vec::new(),
        sql_type: PhantomData,
    }
    .sql_per_backend(sqlite, postgres)
}

impl<ST> Fragment<ST> {
    pub fn sql(self, sql: &'static str) -> Self {
        self.sql_per_backend(sql, sql)
    }

    pub fn sql_per_backend(mut self, sqlite: &'static str, postgres: &'static str) -> Self {
        self.pieces.push(Piece::Sql { sqlite, postgres });
        self
    }

    /// A bound text value.
    pub fn text(mut self, value: String) -> Self {
        self.pieces.push(Piece::Text(value));
        self
    }

    /// Bound ids separated by commas, for `IN (…)`; an empty list is `NULL`, which matches
    /// nothing.
    pub fn ids(mut self, ids: Vec<Id>) -> Self {
        self.pieces.push(Piece::Ids(ids));
        self
    }
}

impl<ST: TypedExpressionType> Expression for Fragment<ST> {
    type SqlType = ST;
}

impl<ST> QueryFragment<MultiBackend> for Fragment<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let sqlite = matches!(out.backend(), MultiBackend::Sqlite(_));
        for piece in &self.pieces {
            match piece {
                Piece::Sql {
                    sqlite: s,
                    postgres,
                } => out.push_sql(if sqlite { s } else { postgres }),
                Piece::Text(value) => out.push_bind_param::<Text, String>(value)?,
                Piece::Ids(ids) if ids.is_empty() => out.push_sql("NULL"),
                Piece::Ids(ids) => {
                    for (i, id) in ids.iter().enumerate() {
                        if i > 0 {
                            out.push_sql(", ");
                        }
                        out.push_bind_param::<Uuid, Id>(id)?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl<ST> QueryId for Fragment<ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, QS> SelectableExpression<QS> for Fragment<ST> where Self: Expression {}

impl<ST, QS> AppearsOnTable<QS> for Fragment<ST> where Self: Expression {}

impl<ST, GB> ValidGrouping<GB> for Fragment<ST> {
    type IsAggregate = is_aggregate::Never;
}
