//! The category taxonomy: two levels, seeded by a migration and read once at start.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::categories;
use crate::db::{AnyConnection, Id};

#[derive(Queryable, Selectable, Serialize, ToSchema, Debug, Clone)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub name_zh: String,
    pub parent_id: Option<Id>,
    #[serde(skip)]
    pub position: i32,
}

/// Every category, parents before their children.
#[derive(Debug, Default)]
pub struct Categories {
    all: Vec<Category>,
    by_id: HashMap<Id, usize>,
    by_slug: HashMap<String, usize>,
}

impl Category {
    /// The category's name in the reader's language.
    pub fn name_in(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::ZhCn => &self.name_zh,
            crate::i18n::Locale::En => &self.name,
        }
    }
}

impl Categories {
    pub fn load(conn: &mut AnyConnection) -> QueryResult<Self> {
        let all: Vec<Category> = categories::table
            .select(Category::as_select())
            .order(categories::position.asc())
            .load(conn)?;
        Ok(Self::from_list(all))
    }

    pub fn from_list(all: Vec<Category>) -> Self {
        let by_id = all.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let by_slug = all
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        Categories {
            all,
            by_id,
            by_slug,
        }
    }

    pub fn all(&self) -> &[Category] {
        &self.all
    }

    pub fn get(&self, id: Id) -> Option<&Category> {
        self.by_id.get(&id).map(|i| &self.all[*i])
    }

    /// A category by its id, its slug, or its Chinese or English name (any case): a clerk
    /// types `保温杯` or `Drinkware` where a program sends `drinkware`.
    pub fn resolve(&self, reference: &str) -> Option<&Category> {
        if let Ok(id) = reference.parse::<Id>() {
            return self.get(id);
        }
        if let Some(i) = self.by_slug.get(reference) {
            return Some(&self.all[*i]);
        }
        self.all.iter().find(|c| {
            c.name_zh == reference
                || c.name.eq_ignore_ascii_case(reference)
                || c.slug.eq_ignore_ascii_case(reference)
        })
    }

    /// The names a buyer may search a category by: its Chinese and English names and its
    /// parent's (`毛巾` finds the listings of 毛巾浴巾).
    pub fn search_names(&self, id: Id) -> String {
        let mut names = Vec::new();
        let mut current = self.get(id);
        while let Some(category) = current {
            names.push(category.name_zh.as_str());
            names.push(category.name.as_str());
            current = category.parent_id.and_then(|parent| self.get(parent));
        }
        names.join(" ")
    }

    /// What a client is told when `resolve` finds nothing.
    pub const UNKNOWN: &'static str =
        "is not a known category (its id, slug, or Chinese or English name)";

    /// The category and its sub-categories.
    pub fn with_descendants(&self, id: Id) -> Vec<Id> {
        let mut ids = vec![id];
        ids.extend(
            self.all
                .iter()
                .filter(|c| c.parent_id == Some(id))
                .map(|c| c.id),
        );
        ids
    }
}
