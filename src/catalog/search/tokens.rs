//! One tokenizer for both search indexes (see architecture.md, "Search").
//!
//! Latin letters and digits become lower-cased words. Each run of CJK characters becomes its
//! single characters and its overlapping pairs (`保温杯` → `保 温 杯 保温 温杯`), as Lucene's
//! CJK analyzer does. Tokens are written in plain ASCII (`z` + five hex digits per CJK
//! character), so SQLite's unicode61 tokenizer and PostgreSQL's 'simple' configuration index
//! them the same way under any database locale.

use std::collections::BTreeSet;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x3134F) // extensions B-G
}

fn cjk_code(c: char) -> String {
    format!("{:05x}", c as u32)
}

fn cjk_single(c: char) -> String {
    format!("z{}", cjk_code(c))
}

fn cjk_pair(a: char, b: char) -> String {
    format!("z{}{}", cjk_code(a), cjk_code(b))
}

/// English words reduced to their stem (Snowball), so `towels`, `towel` and `towelling`
/// meet; words with digits (`500ml`, `ref004242`) and other alphabets stay as written.
fn stem(word: &str) -> String {
    static ENGLISH: std::sync::LazyLock<rust_stemmers::Stemmer> = std::sync::LazyLock::new(|| {
        rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)
    });
    let lower = word.to_lowercase();
    if lower.chars().all(|c| c.is_ascii_lowercase()) {
        ENGLISH.stem(&lower).into_owned()
    } else {
        lower
    }
}

/// A Latin (or other alphabet) word as an ASCII token: its stem, ASCII letters and digits as
/// they are, other letters as `x` + five hex digits.
fn word_token(word: &str) -> String {
    ascii_token(&stem(word))
}

/// The beginning of a word being typed as a token prefix. A stem is usually the beginning of
/// its word (`flasks` → `flask`), but Snowball also rewrites endings (`battery` →
/// `batteri`), so the prefix is what the word as typed and its stem have in common.
fn prefix_token(word: &str) -> String {
    let typed = word.to_lowercase();
    let stemmed = stem(word);
    let common: String = typed
        .chars()
        .zip(stemmed.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    ascii_token(if common.is_empty() { &typed } else { &common })
}

fn ascii_token(word: &str) -> String {
    let mut token = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii_alphanumeric() {
            token.push(c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                token.push_str(&format!("x{:05x}", lower as u32));
            }
        }
    }
    token
}

/// A piece of text split for search.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Word(String),
    Cjk(Vec<char>),
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Piece::Word(std::mem::take(&mut word)));
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            if !run.is_empty() {
                out.push(Piece::Cjk(std::mem::take(&mut run)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Piece::Word(std::mem::take(&mut word)));
            }
            if !run.is_empty() {
                out.push(Piece::Cjk(std::mem::take(&mut run)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Piece::Word(word));
    }
    if !run.is_empty() {
        out.push(Piece::Cjk(run));
    }
    out
}

/// The search column of a listing: every token of its texts, once, space-separated.
pub fn index_text(texts: &[&str]) -> String {
    let mut tokens = BTreeSet::new();
    for text in texts {
        for piece in pieces(text) {
            match piece {
                Piece::Word(word) => {
                    tokens.insert(word_token(&word));
                }
                Piece::Cjk(run) => {
                    for c in &run {
                        tokens.insert(cjk_single(*c));
                    }
                    for pair in run.windows(2) {
                        tokens.insert(cjk_pair(pair[0], pair[1]));
                    }
                }
            }
        }
    }
    tokens.into_iter().collect::<Vec<_>>().join(" ")
}

/// A parsed search query: tokens that must all match, the last Latin word as a prefix, and
/// the CJK runs of three or more characters that must also appear as written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub exact: Vec<String>,
    pub prefix: Option<String>,
    pub substrings: Vec<String>,
    /// The words as typed (lower case; a Latin word's plural `s` dropped, CJK runs whole):
    /// relevance ranks listings whose titles hold more of them first.
    pub title_words: Vec<String>,
}

impl SearchQuery {
    pub fn parse(q: &str) -> Option<SearchQuery> {
        let pieces = pieces(q);
        let mut query = SearchQuery::default();
        let last_word = pieces.iter().rposition(|p| matches!(p, Piece::Word(_)));
        let ends_with_word = matches!(pieces.last(), Some(Piece::Word(_)))
            && !q.ends_with(|c: char| c.is_whitespace());
        for (i, piece) in pieces.into_iter().enumerate() {
            match piece {
                Piece::Word(word) => {
                    if ends_with_word && Some(i) == last_word {
                        query.prefix = Some(prefix_token(&word));
                        continue;
                    }
                    let token = word_token(&word);
                    if !query.exact.contains(&token) {
                        query.exact.push(token);
                    }
                }
                Piece::Cjk(run) if run.len() == 1 => query.exact.push(cjk_single(run[0])),
                Piece::Cjk(run) => {
                    for pair in run.windows(2) {
                        let token = cjk_pair(pair[0], pair[1]);
                        if !query.exact.contains(&token) {
                            query.exact.push(token);
                        }
                    }
                    if run.len() >= 3 {
                        query.substrings.push(run.iter().collect());
                    }
                }
            }
        }
        if query.exact.is_empty() && query.prefix.is_none() {
            None
        } else {
            query.title_words = title_words(q);
            Some(query)
        }
    }

    /// The LIKE patterns of the words a title is ranked by (escaped for `LIKE … ESCAPE '\'`).
    pub fn title_patterns(&self) -> Vec<String> {
        self.title_words
            .iter()
            .map(|w| format!("%{}%", crate::db::like_literal(w)))
            .collect()
    }

    /// The FTS5 MATCH expression: every token, the prefix with `*`.
    pub fn fts5(&self) -> String {
        let mut parts: Vec<String> = self.exact.iter().map(|t| format!("\"{t}\"")).collect();
        if let Some(prefix) = &self.prefix {
            parts.push(format!("\"{prefix}\"*"));
        }
        parts.join(" ")
    }

    /// The PostgreSQL tsquery: every token joined by `&`, the prefix with `:*`.
    pub fn tsquery(&self) -> String {
        let mut parts: Vec<String> = self.exact.clone();
        if let Some(prefix) = &self.prefix {
            parts.push(format!("{prefix}:*"));
        }
        parts.join(" & ")
    }
}

/// The words of a query as a title would hold them: Latin words lower case without a plural
/// `s`, CJK runs whole; at most eight, each once.
fn title_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for piece in pieces(q) {
        let word = match piece {
            Piece::Word(word) => {
                let word = word.to_lowercase();
                match word.strip_suffix('s') {
                    Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => {
                        stem.to_string()
                    }
                    _ => word,
                }
            }
            Piece::Cjk(run) => run.iter().collect(),
        };
        if !word.is_empty() && !words.contains(&word) && words.len() < 8 {
            words.push(word);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_all(index: &str, query: &SearchQuery) -> bool {
        let tokens: Vec<&str> = index.split(' ').collect();
        query.exact.iter().all(|t| tokens.contains(&t.as_str()))
            && query
                .prefix
                .as_ref()
                .is_none_or(|p| tokens.iter().any(|t| t.starts_with(p.as_str())))
    }

    #[test]
    fn chinese_runs_become_characters_and_pairs() {
        let index = index_text(&["保温杯"]);
        let expected: BTreeSet<String> = ['保', '温', '杯']
            .iter()
            .map(|c| cjk_single(*c))
            .chain([cjk_pair('保', '温'), cjk_pair('温', '杯')])
            .collect();
        assert_eq!(
            index.split(' ').map(String::from).collect::<BTreeSet<_>>(),
            expected
        );
        assert!(index.is_ascii());
    }

    #[test]
    fn two_chinese_characters_match_inside_a_longer_word() {
        let index = index_text(&["不锈钢保温杯 500ml"]);
        assert!(has_all(&index, &SearchQuery::parse("保温").unwrap()));
        assert!(has_all(&index, &SearchQuery::parse("杯").unwrap()));
        assert!(!has_all(&index, &SearchQuery::parse("餐具").unwrap()));
        let long = SearchQuery::parse("不锈钢").unwrap();
        assert!(has_all(&index, &long));
        assert_eq!(long.substrings, vec!["不锈钢".to_string()]);
    }

    #[test]
    fn latin_words_are_lower_cased_and_the_last_is_a_prefix() {
        let index = index_text(&["Vacuum Flask, 500ML", "ACME-Brand"]);
        let q = SearchQuery::parse("vacu").unwrap();
        assert_eq!(q.prefix.as_deref(), Some("vacu"));
        assert!(has_all(&index, &q));
        assert!(has_all(
            &index,
            &SearchQuery::parse("FLASK vacuum").unwrap()
        ));
        assert!(has_all(&index, &SearchQuery::parse("acme").unwrap()));
        assert!(!has_all(
            &index,
            &SearchQuery::parse("vacu kettle").unwrap()
        ));
        // A trailing space closes the word: no prefix.
        assert_eq!(
            SearchQuery::parse("vacu ").unwrap().exact,
            vec!["vacu".to_string()]
        );
    }

    #[test]
    fn mixed_queries_and_empty_ones() {
        let index = index_text(&["ACME 保温杯 vacuum flask"]);
        assert!(has_all(&index, &SearchQuery::parse("保温 flask").unwrap()));
        assert_eq!(SearchQuery::parse("  ,;! "), None);
        let q = SearchQuery::parse("保温 vac").unwrap();
        assert_eq!(q.fts5(), format!("\"{}\" \"vac\"*", cjk_pair('保', '温')));
        assert_eq!(q.tsquery(), format!("{} & vac:*", cjk_pair('保', '温')));
    }

    #[test]
    fn english_words_meet_their_inflections() {
        let index = index_text(&["Cotton bath towel, 2 batteries included"]);
        for q in [
            "towels",
            "towel ",
            "towelling ",
            "Towels ",
            "battery ",
            "batteries",
            "batt",
        ] {
            assert!(has_all(&index, &SearchQuery::parse(q).unwrap()), "{q}");
        }
        assert!(!has_all(&index, &SearchQuery::parse("tower ").unwrap()));
        // Words with digits are kept whole.
        let index = index_text(&["ref004242 500ml"]);
        assert!(has_all(&index, &SearchQuery::parse("ref004242").unwrap()));
        assert!(has_all(&index, &SearchQuery::parse("500ml ").unwrap()));
    }

    #[test]
    fn other_alphabets_stay_ascii_tokens() {
        let index = index_text(&["Café Crème"]);
        assert!(index.is_ascii());
        assert!(has_all(&index, &SearchQuery::parse("café").unwrap()));
        assert!(has_all(&index, &SearchQuery::parse("CAF").unwrap()));
    }
}
