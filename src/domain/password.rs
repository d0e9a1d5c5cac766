//! Passwords by NIST SP 800-63B: long enough, not a known common password, not one repeated
//! character, not the account's own email name. Nothing else is demanded (no character
//! classes): `correct horse battery` is a good password.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

/// The 30,000 most common passwords of zxcvbn's list (MIT licence), lower-cased, plus common
/// Chinese ones; one per line.
const COMMON: &str = include_str!("common_passwords.txt");

fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().filter(|l| !l.is_empty()).collect())
}

/// A password as typed; never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    /// A password for the account of `email`: every rule, with the message a person reads.
    pub fn parse(raw: &str, email: &str) -> Result<Self, String> {
        let count = raw.chars().count();
        if count < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters", Self::MIN_CHARS));
        }
        if count > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        let mut chars = raw.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err("must not be one character repeated".into());
        }
        let lowered = raw.to_lowercase();
        if common_passwords().contains(lowered.trim()) {
            return Err("is one of the most common passwords; choose another".into());
        }
        let password = Password(raw.to_string());
        password.check_not_named_after(email)?;
        Ok(password)
    }

    /// Refuses the email's local part as the password (for a reset, where the account is known
    /// only once its token is read).
    pub fn check_not_named_after(&self, email: &str) -> Result<(), String> {
        let local_part = email.split('@').next().unwrap_or("").trim().to_lowercase();
        if !local_part.is_empty() && self.0.trim().to_lowercase() == local_part {
            return Err("must not be the name of your email address".into());
        }
        Ok(())
    }

    /// Wraps a password that is only compared, never stored (login).
    pub fn unchecked(raw: &str) -> Self {
        Password(raw.to_string())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "li.wei@example.cn";

    #[test]
    fn long_uncommon_passwords_pass_and_never_print() {
        for good in [
            "correct horse battery",
            "十个字符的密码很安全啊",
            "Kettle-7-Lantern",
        ] {
            assert!(Password::parse(good, EMAIL).is_ok(), "{good} refused");
        }
        assert_eq!(
            format!("{:?}", Password::parse("long enough pw", EMAIL).unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn short_common_repeated_and_own_name_are_refused() {
        for (bad, why) in [
            ("short", "at least"),
            ("password123", "common"),
            ("1234567890", "common"),
            ("QwertyUiop", "common"),
            ("woaini1314", "common"),
            ("          ", "repeated"),
            ("aaaaaaaaaaaa", "repeated"),
        ] {
            let message = Password::parse(bad, EMAIL).unwrap_err();
            assert!(message.contains(why), "{bad}: {message}");
        }
        let own = Password::parse("zhang.san.trade", "zhang.san.trade@example.cn");
        assert!(own.unwrap_err().contains("email"));
        assert!(common_passwords().len() >= 10_000);
    }
}
