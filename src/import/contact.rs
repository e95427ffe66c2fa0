//! The contact block (input-format.md `contact`) from the sentences of a preamble.
//!
//! Published reports give it in a sentence — “本报告的电子版可在……门户网站“威海市文登区人民政府”
//! （http://www.wendeng.gov.cn）……请与威海市文登区应急管理局办公室联系（地址：……；邮编：264400；
//! 电话：0631-8360066；传真0631-8361901）” — with or without colons, in full- or half-width
//! punctuation. Each field is read by its own pattern; a field that is not there stays empty.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::Contact;

struct Patterns {
    office: Vec<Regex>,
    address: Regex,
    postcode: Regex,
    phone: Regex,
    fax: Regex,
    email: Regex,
    site_named: Regex,
    url: Regex,
    quoted_site: Regex,
    plain_site: Regex,
}

fn re(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|_| unreachable!("constant pattern"))
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // A phone number: digits with dashes, brackets, 转 (extension), and lists of them.
        // The path of a web address: URL characters only (Chinese text may follow unspaced).
        let path = r"(?::\d+)?(?:/[A-Za-z0-9._~:/?#@!$&'*+=%\-]*)?";
        let tel = r"([（(]?[0-9０-９][0-9０-９\-－—()（）、/／ 转]*[0-9０-９])";
        Patterns {
            office: vec![
                re(r"(?:联系单位|联系部门|联系机构|受理机构)\s*[:：]\s*([^，,。；;（(）)\s]{2,40})"),
                re(r"请(?:与|和)\s*([^，,。；;（(）)]{2,40}?)\s*联系"),
                re(r"请(?:联系|咨询|致电)\s*([^，,。；;（(）)\s]{1,40}(?:办公室|科|处|室|中心|股|局|部))"),
                re(r"请向\s*([^，,。；;（(）)]{2,40}?)\s*(?:咨询|反映|提出)"),
            ],
            address: re(r"(?:通讯地址|联系地址|办公地址|地址|地点)\s*[:：]\s*([^；;，,。）)\n]+)"),
            postcode: re(r"(?:邮政编码|邮编)\s*[:：]?\s*([0-9０-９]{6})"),
            phone: re(&format!(r"(?:联系电话|咨询电话|办公电话|电话)(?:号码)?\s*[:：]?\s*{tel}")),
            fax: re(&format!(r"传真(?:号码|电话)?\s*[:：]?\s*{tel}")),
            email: re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"),
            site_named: re(&format!(
                r"“([^”]{{2,40}})”\s*[（(]\s*((?:https?://)?[A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{{2,}}{path})\s*[）)]"
            )),
            url: re(&format!(r"(?:https?://|www\.)[A-Za-z0-9.\-]+\.[A-Za-z]{{2,}}{path}")),
            quoted_site: re(r"“([^”]{2,40})”\s*(?:门户)?网站"),
            plain_site: re(r"在\s*(\p{Han}{2,30}?(?:门户网站|网站))\s*[（(]\s*(?:https?://|www\.)"),
        }
    })
}

/// Where each field was found: the byte range of its value in `text`.
#[derive(Debug, Default)]
pub struct Found {
    pub contact: Contact,
    pub office_found: bool,
    /// (field name, byte range in the text searched).
    pub spans: Vec<(&'static str, std::ops::Range<usize>)>,
}

fn clean(s: &str) -> String {
    s.trim().trim_end_matches(['，', ',', '。', '；', ';']).trim().to_string()
}

/// Width-normalised digits (full-width digits and dashes become ASCII).
fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '－' => '-',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Read the contact fields out of `text` (the preamble, or any text).
pub fn extract(text: &str) -> Found {
    let p = patterns();
    let mut f = Found::default();
    let span = |f: &mut Found, name: &'static str, m: regex::Match| f.spans.push((name, m.start()..m.end()));
    for r in &p.office {
        if let Some(m) = r.captures(text).and_then(|c| c.get(1)) {
            f.contact.office = clean(m.as_str());
            f.office_found = !f.contact.office.is_empty();
            span(&mut f, "office", m);
            break;
        }
    }
    if let Some(m) = p.address.captures(text).and_then(|c| c.get(1)) {
        f.contact.address = Some(clean(m.as_str()));
        span(&mut f, "address", m);
    }
    if let Some(m) = p.postcode.captures(text).and_then(|c| c.get(1)) {
        f.contact.postcode = Some(ascii_digits(m.as_str()));
        span(&mut f, "postcode", m);
    }
    if let Some(m) = p.phone.captures(text).and_then(|c| c.get(1)) {
        f.contact.phone = Some(ascii_digits(m.as_str()));
        span(&mut f, "phone", m);
    }
    if let Some(m) = p.fax.captures(text).and_then(|c| c.get(1)) {
        f.contact.fax = Some(ascii_digits(m.as_str()));
        span(&mut f, "fax", m);
    }
    if let Some(m) = p.email.find(text) {
        f.contact.email = Some(m.as_str().trim_end_matches('.').to_string());
        span(&mut f, "email", m);
    }
    if let Some(c) = p.site_named.captures(text) {
        if let (Some(n), Some(u)) = (c.get(1), c.get(2)) {
            f.contact.website_name = Some(clean(n.as_str()));
            f.contact.website_url = Some(u.as_str().trim_end_matches('.').to_string());
            span(&mut f, "website_name", n);
            span(&mut f, "website_url", u);
        }
    } else {
        // The address part of an e-mail is not a website.
        let mail = f.contact.email.clone().unwrap_or_default();
        if let Some(m) = p.url.find_iter(text).find(|m| !mail.contains(m.as_str())) {
            f.contact.website_url = Some(m.as_str().trim_end_matches('.').to_string());
            span(&mut f, "website_url", m);
        }
        if let Some(m) = p.quoted_site.captures(text).or_else(|| p.plain_site.captures(text)).and_then(|c| c.get(1)) {
            f.contact.website_name = Some(clean(m.as_str()));
            span(&mut f, "website_name", m);
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_sentence() {
        let t = "本报告的电子版可在威海市文登区人民政府门户网站“威海市文登区人民政府”（http://www.wendeng.gov.cn）。如对本报告有疑问，请与威海市文登区应急管理局办公室联系（地址：威海市文登区世纪大道86号；邮编：264400；电话：0631-8360066；传真0631-8361901）。";
        let c = extract(t).contact;
        assert_eq!(c.office, "威海市文登区应急管理局办公室");
        assert_eq!(c.address.as_deref(), Some("威海市文登区世纪大道86号"));
        assert_eq!(c.postcode.as_deref(), Some("264400"));
        assert_eq!(c.phone.as_deref(), Some("0631-8360066"));
        assert_eq!(c.fax.as_deref(), Some("0631-8361901"));
        assert_eq!(c.website_name.as_deref(), Some("威海市文登区人民政府"));
        assert_eq!(c.website_url.as_deref(), Some("http://www.wendeng.gov.cn"));
        assert_eq!(c.email, None);
    }

    #[test]
    fn other_wordings() {
        let t = "本报告电子版可在www.lanshan.gov.cn查阅。联系单位：兰山区市场监督管理局办公室，联系电话：（0539）8312345，电子邮箱：lsscj@163.com。";
        let f = extract(t);
        assert_eq!(f.contact.office, "兰山区市场监督管理局办公室");
        assert_eq!(f.contact.phone.as_deref(), Some("（0539）8312345"));
        assert_eq!(f.contact.email.as_deref(), Some("lsscj@163.com"));
        assert_eq!(f.contact.website_url.as_deref(), Some("www.lanshan.gov.cn"));
        let t = "本报告电子版可在某某县人民政府门户网站（www.moumou.gov.cn）下载。请联系某某县司法局办公室，联系电话：0531-88001234。";
        let f = extract(t);
        assert_eq!(f.contact.office, "某某县司法局办公室");
        assert_eq!(f.contact.website_name.as_deref(), Some("某某县人民政府门户网站"));
        assert_eq!(f.contact.website_url.as_deref(), Some("www.moumou.gov.cn"));
    }
}
