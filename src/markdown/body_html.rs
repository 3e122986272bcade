//! A page's body HTML: as the Markdown stage wrote it, or packed with LZ4 where `watch` keeps it
//! between runs. A kept body is read again only when its page's template runs again, and the
//! bodies are the largest thing `watch` keeps (about 150 MB at 10,000 pages; packed, about a
//! third of that).

use std::borrow::Cow;

#[derive(Debug, Clone)]
pub enum BodyHtml {
    Plain(String),
    /// LZ4 block with its length in front (`lz4_flex`'s size-prepended form).
    Packed(Box<[u8]>),
}

/// A packed body that no longer unpacks: memory was overwritten, never a user's input.
#[derive(Debug, thiserror::Error)]
#[error("internal error: a body kept between rebuilds no longer reads back; restart steppe")]
pub struct BodyLost;

impl Default for BodyHtml {
    fn default() -> Self {
        BodyHtml::Plain(String::new())
    }
}

impl BodyHtml {
    /// The HTML, unpacked into a new string if it was packed.
    pub fn text(&self) -> Result<Cow<'_, str>, BodyLost> {
        match self {
            BodyHtml::Plain(s) => Ok(Cow::Borrowed(s)),
            BodyHtml::Packed(bytes) => {
                let raw = lz4_flex::decompress_size_prepended(bytes).map_err(|_| BodyLost)?;
                String::from_utf8(raw).map(Cow::Owned).map_err(|_| BodyLost)
            }
        }
    }

    /// The packed form, for a body kept between runs.
    pub fn packed(self) -> BodyHtml {
        match self {
            BodyHtml::Plain(s) => {
                BodyHtml::Packed(lz4_flex::compress_prepend_size(s.as_bytes()).into_boxed_slice())
            }
            packed => packed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_smaller_and_reads_back() {
        let html = "<p>Проверка баланса: <code>*102#</code>. 查询余额。</p>\n".repeat(200);
        let packed = BodyHtml::Plain(html.clone()).packed();
        let BodyHtml::Packed(bytes) = &packed else {
            panic!("not packed");
        };
        assert!(
            bytes.len() * 3 < html.len(),
            "{} of {}",
            bytes.len(),
            html.len()
        );
        assert_eq!(packed.text().unwrap(), html);
        assert_eq!(packed.clone().packed().text().unwrap(), html);
        assert_eq!(BodyHtml::Plain(String::new()).packed().text().unwrap(), "");
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let BodyHtml::Packed(bytes) = BodyHtml::Plain("<p>x</p>".repeat(50)).packed() else {
            panic!("not packed");
        };
        let cut = bytes[..bytes.len() / 2].to_vec().into_boxed_slice();
        assert!(BodyHtml::Packed(cut).text().is_err());
        assert!(BodyHtml::Packed(Box::new([0xff; 3])).text().is_err());
    }
}
