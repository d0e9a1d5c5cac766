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

/// The Chinese names, in the order of `PROVINCES`.
pub const PROVINCES_ZH: &[&str] = &[
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
];

/// What a Chinese name may end with (`浙江省`, `上海市`, `广西壮族自治区` …).
const ZH_SUFFIXES: &[&str] = &[
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province(&'static str);

impl Province {
    /// Accepts the English name in any letter case and returns its canonical spelling.
    /// Also accepts the Chinese name, with or without its suffix (`浙江`, `浙江省`).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let wanted = raw.trim();
        if let Some(name) = PROVINCES
            .iter()
            .find(|name| name.eq_ignore_ascii_case(wanted))
        {
            return Ok(Province(name));
        }
        let short = ZH_SUFFIXES
            .iter()
            .find_map(|suffix| wanted.strip_suffix(suffix).filter(|s| !s.is_empty()))
            .unwrap_or(wanted);
        PROVINCES_ZH
            .iter()
            .position(|zh| *zh == short || *zh == wanted)
            .map(|i| Province(PROVINCES[i]))
            .ok_or_else(|| {
                "must be a province-level division by its English or Chinese name, e.g. Zhejiang or 浙江"
                    .to_string()
            })
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The Chinese name without its suffix (`浙江`).
    pub fn in_chinese(&self) -> &'static str {
        PROVINCES
            .iter()
            .position(|name| *name == self.0)
            .and_then(|i| PROVINCES_ZH.get(i))
            .copied()
            .unwrap_or(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_understood() {
        assert_eq!(PROVINCES_ZH.len(), PROVINCES.len());
        for (raw, name) in [
            ("浙江", "Zhejiang"),
            ("浙江省", "Zhejiang"),
            ("上海市", "Shanghai"),
            ("广西壮族自治区", "Guangxi"),
            ("内蒙古自治区", "Inner Mongolia"),
            ("香港特别行政区", "Hong Kong"),
        ] {
            assert_eq!(Province::parse(raw).unwrap().as_str(), name, "{raw}");
        }
        assert!(Province::parse("省").is_err());
    }

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
