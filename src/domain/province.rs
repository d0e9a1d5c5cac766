//! The province-level divisions of China, by their English names.

pub const PROVINCES: &[&str] = &[
    "Beijing",
    "Tianjin",
    "Hebei",
    "Shanxi",
    "Inner Mongolia",
    "Liaoning",
    "Jilin",
    "Heilongjiang",
    "Shanghai",
    "Jiangsu",
    "Zhejiang",
    "Anhui",
    "Fujian",
    "Jiangxi",
    "Shandong",
    "Henan",
    "Hubei",
    "Hunan",
    "Guangdong",
    "Guangxi",
    "Hainan",
    "Chongqing",
    "Sichuan",
    "Guizhou",
    "Yunnan",
    "Tibet",
    "Shaanxi",
    "Gansu",
    "Qinghai",
    "Ningxia",
    "Xinjiang",
    "Hong Kong",
    "Macau",
    "Taiwan",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province(&'static str);

impl Province {
    /// Accepts the English name in any letter case and returns its canonical spelling.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let wanted = raw.trim();
        PROVINCES
            .iter()
            .find(|name| name.eq_ignore_ascii_case(wanted))
            .map(|name| Province(name))
            .ok_or_else(|| {
                "must be the English name of a province-level division, e.g. Zhejiang".to_string()
            })
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_are_canonicalised() {
        assert_eq!(
            Province::parse("inner mongolia").unwrap().as_str(),
            "Inner Mongolia"
        );
        assert_eq!(PROVINCES.len(), 34);
        assert!(Province::parse("Atlantis").is_err());
    }
}
