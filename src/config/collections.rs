//! Data collections: what site.yaml declares about each (`collections:`) and the items read
//! from `data/<collection>/<id>.yaml`, each fact with its status and source.
//!
//! Input: the declarations parsed with site.yaml and the site's `data/` folder. Output: the
//! declarations with their items attached, or every problem located at `data/…yaml:line:col`.

use super::Config;
use super::text::{Date, Text, parse_with_languages};
use crate::diagnostics::{BuildErrors, Diagnostic, did_you_mean};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where item files live, relative to the site root.
pub const DATA_DIR: &str = "data";

/// How far a fact can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stated by the item's own or an official source.
    Confirmed,
    /// Reported by other sources (news, legal outlets).
    Secondary,
    /// Not confirmed: rendered as "not confirmed", never as fact.
    Unconfirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Secondary => "secondary",
            Status::Unconfirmed => "unconfirmed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Optional only for unconfirmed facts, which never show their value.
    #[serde(default)]
    pub value: Option<Text>,
    pub status: Status,
    /// Where the fact was found; required unless unconfirmed.
    #[serde(default)]
    pub source: Option<String>,
    /// Renders the value as a link (e.g. the official website).
    #[serde(default)]
    pub url: Option<String>,
    /// When this one fact was last checked against its source.
    #[serde(default)]
    pub checked: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// One `data/<collection>/<id>.yaml` file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// From the file name, not the file.
    #[serde(skip)]
    pub id: String,
    /// The display name, in every language.
    pub name: Text,
    /// An optional formal name (a company's registered name), shown under the title.
    #[serde(default)]
    pub legal_name: Option<Text>,
    pub reviewed: Date,
    /// Order in lists and comparison columns (lowest first; unweighted last, then by id).
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
}

const ITEM_KEYS: &[&str] = &[
    "name",
    "legal_name",
    "reviewed",
    "weight",
    "sources",
    "facts",
    "title",
    "url",
    "value",
    "status",
    "source",
    "checked",
];

/// A fact key with its row label in every language; the list order is the display order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: Text,
}

/// One `collections:` entry of site.yaml, with its items once loaded.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// The `data/<name>/` folder and the shortcode's `c=`.
    pub name: String,
    /// The index page's title when `content/<lang>/<folder>/_index.md` does not exist.
    pub title: Text,
    /// URL folder of the index and item pages, and of their prose; defaults to `name`.
    #[serde(default)]
    pub folder: Option<String>,
    /// Facts shown for every item, in this order.
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default = "default_item_template")]
    pub item_template: String,
    #[serde(default = "default_index_template")]
    pub index_template: String,
    /// Filled by `load_items`, sorted by weight then id.
    #[serde(skip)]
    pub items: Vec<Item>,
}

fn default_item_template() -> String {
    "item.html".into()
}

fn default_index_template() -> String {
    "collection.html".into()
}

impl Collection {
    pub fn folder(&self) -> &str {
        self.folder.as_deref().unwrap_or(&self.name)
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The source path (inside `content/<lang>/`) of an item's prose and page.
    pub fn item_rel(&self, id: &str) -> String {
        format!("{}/{id}.md", self.folder())
    }

    /// The source path of the collection's index page.
    pub fn index_rel(&self) -> String {
        format!("{}/_index.md", self.folder())
    }

    pub fn label(&self, key: &str, lang: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or_else(|| key.to_owned(), |f| f.label.get(lang).to_owned())
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Checks the declarations themselves (names, folders); errors point into site.yaml.
pub(super) fn validate_declarations(
    config: &Config,
    scanned: &super::yaml_scan::Scan,
    errors: &mut Vec<Diagnostic>,
) {
    let at = |path: &str, msg: String| {
        let d = Diagnostic::new(msg).in_file(super::CONFIG_FILE);
        match scanned.line(path) {
            Some(line) => d.at(line, None),
            None => d,
        }
    };
    for (i, c) in config.collections.iter().enumerate() {
        if !is_slug(&c.name) || !c.folder().split('/').all(is_slug) {
            errors.push(at(
                &format!("collections.{i}.name"),
                format!(
                    "collection '{}': name and folder must be lower-case ASCII letters, digits or '-'",
                    c.name
                ),
            ));
        }
        let earlier = &config.collections[..i];
        if earlier
            .iter()
            .any(|o| o.name == c.name || o.folder() == c.folder())
        {
            errors.push(at(
                &format!("collections.{i}.name"),
                format!("collection '{}' has the name or folder of another", c.name),
            ));
        }
    }
}

/// Reads every declared collection's items from `data/`, checking each against its
/// declaration. A `data/` folder no collection declares is an error, so a typo is not silent.
pub fn load_items(root: &Path, config: &mut Config) -> Result<(), BuildErrors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    for dir in sorted_entries(&root.join(DATA_DIR), true) {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        if !config.collections.iter().any(|c| c.name == name) {
            let names = config.collections.iter().map(|c| c.name.as_str());
            let hint = did_you_mean(&name, names)
                .map(|s| format!("did you mean '{s}'?"))
                .unwrap_or_else(|| {
                    format!("declare it under `collections:` in site.yaml (name: {name})")
                });
            errors.push(
                Diagnostic::new(format!("data folder '{name}' belongs to no collection"))
                    .in_file(Path::new(DATA_DIR).join(&*name))
                    .with_hint(hint),
            );
        }
    }
    for i in 0..config.collections.len() {
        let dir = root.join(DATA_DIR).join(&config.collections[i].name);
        let mut items = Vec::new();
        for file in sorted_entries(&dir, false) {
            match load_item(root, &file, &codes, config, &config.collections[i]) {
                Ok((item, mut w)) => {
                    items.push(item);
                    warnings.append(&mut w);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        items.sort_by(|a, b| {
            (a.weight.unwrap_or(i64::MAX), &a.id).cmp(&(b.weight.unwrap_or(i64::MAX), &b.id))
        });
        config.collections[i].items = items;
    }
    config.warnings.append(&mut warnings);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BuildErrors(errors))
    }
}

/// Sub-folders (`dirs`) or `.yaml` files of `dir`, sorted; nothing when it does not exist.
fn sorted_entries(dir: &Path, dirs: bool) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
            !hidden
                && if dirs {
                    p.is_dir()
                } else {
                    p.is_file() && yaml
                }
        })
        .collect();
    out.sort();
    out
}

fn load_item(
    root: &Path,
    file: &Path,
    codes: &[String],
    config: &Config,
    collection: &Collection,
) -> Result<(Item, Vec<Diagnostic>), Vec<Diagnostic>> {
    let shown = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    let bytes = std::fs::read(file)
        .map_err(|e| vec![Diagnostic::new(format!("cannot read: {e}")).in_file(&shown)])?;
    let raw = super::decode_utf8(&shown, bytes).map_err(|d| vec![d])?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    // The same scan as site.yaml's: bounded nesting, duplicate keys and aliases located.
    let src = super::YamlSource {
        file: &shown,
        text,
        line_offset: 0,
        known_keys: ITEM_KEYS,
    };
    let (mut item, scanned): (Item, _) = src
        .parse(|t| parse_with_languages(codes.to_vec(), || serde_yaml::from_str(t)))
        .map_err(|d| vec![d])?;
    item.id = file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut errors = Vec::new();
    if !is_slug(&item.id) {
        errors.push(
            Diagnostic::new(format!(
                "item id '{}' (the file name) must be lower-case ASCII letters, digits or '-'",
                item.id
            ))
            .in_file(&shown),
        );
    }
    for (key, fact) in &item.facts {
        check_fact(collection, key, fact, &scanned, &shown, &mut errors);
    }
    let urls = super::links::check_item_urls(config, &item, text, &shown);
    errors.extend(urls.errors);
    if errors.is_empty() {
        Ok((item, urls.warnings))
    } else {
        Err(errors)
    }
}

/// Cross-field rules of one fact: declared key, value and source unless unconfirmed (its
/// URLs are judged by the link policy in `links::check_item_urls`).
fn check_fact(
    collection: &Collection,
    key: &str,
    fact: &Fact,
    scanned: &super::yaml_scan::Scan,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    let mut err = |needle: &str, msg: String, hint: Option<String>| {
        let mut d = Diagnostic::new(format!("fact '{key}': {msg}")).in_file(file);
        if let Some(line) = scanned.line(needle) {
            d = d.at(line, None);
        }
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        errors.push(d);
    };
    let needle = format!("facts.{key}");
    if !collection.fields.iter().any(|f| f.key == key) {
        let keys = collection.fields.iter().map(|f| f.key.as_str());
        let hint = did_you_mean(key, keys)
            .map(|s| format!("did you mean '{s}'?"))
            .unwrap_or_else(|| {
                format!(
                    "declare it under `fields:` of collection '{}' in site.yaml",
                    collection.name
                )
            });
        err(&needle, "unknown fact key".into(), Some(hint));
    }
    if fact.status != Status::Unconfirmed {
        let status = fact.status.as_str();
        if fact.value.is_none() {
            err(&needle, format!("a {status} fact needs a `value`"), None);
        }
        if fact.source.is_none() {
            let hint = Some("or mark it `status: unconfirmed`".to_owned());
            err(
                &needle,
                format!("a {status} fact needs a `source` URL"),
                hint,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "title: Shop\nlanguages:\n  - {code: en, tag: en, name: English, default: true}\ncollections:\n  - name: products\n    title: Products\n    fields:\n      - {key: price, label: Price}\n";

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Config, BuildErrors>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(dir.path());
        (dir, config)
    }

    #[test]
    fn items_take_their_id_from_the_file_and_sort_by_weight_then_id() {
        let (_dir, config) = site(&[
            ("data/products/b.yaml", "name: B\nreviewed: 2026-01-01\n"),
            ("data/products/a.yaml", "name: A\nreviewed: 2026-01-01\n"),
            (
                "data/products/z.yaml",
                "name: Z\nreviewed: 2026-01-01\nweight: 1\n",
            ),
            ("data/products/.hidden.yaml", "not: an item\n"),
            ("data/products/notes.txt", "ignored"),
        ]);
        let c = config.unwrap().collections.remove(0);
        let ids: Vec<&str> = c.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["z", "a", "b"]);
        assert_eq!(c.item_rel("z"), "products/z.md");
        assert_eq!(c.index_rel(), "products/_index.md");
        assert_eq!(c.label("price", "en"), "Price");
    }

    #[test]
    fn bad_items_are_located_in_their_file() {
        let (_dir, config) = site(&[
            (
                "data/products/Bad_Id.yaml",
                "name: X\nreviewed: 2026-01-01\n",
            ),
            (
                "data/products/lamp.yaml",
                "name: Lamp\nreviewed: 2026-01-01\nfacts:\n  pryce: {status: unconfirmed}\n",
            ),
            ("data/product/x.yaml", "name: X\nreviewed: 2026-01-01\n"),
        ]);
        let shown: Vec<String> = config
            .unwrap_err()
            .0
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(shown[0].starts_with("data/product: data folder 'product' belongs to no collection\n  hint: did you mean 'products'?"), "{}", shown[0]);
        assert!(
            shown[1].starts_with("data/products/Bad_Id.yaml: item id 'Bad_Id'"),
            "{}",
            shown[1]
        );
        assert!(shown[2].starts_with("data/products/lamp.yaml:4: fact 'pryce': unknown fact key\n  hint: did you mean 'price'?"), "{}", shown[2]);
    }

    #[test]
    fn two_collections_cannot_share_a_folder() {
        let text = format!("{SITE}  - name: others\n    title: Others\n    folder: products\n");
        let e = Config::parse(&text).unwrap_err();
        assert!(
            e.0[0]
                .to_string()
                .starts_with("site.yaml:9: collection 'others' has the name or folder of another"),
            "{}",
            e.0[0]
        );
    }
}
