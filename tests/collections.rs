//! Data collections: item pages joined with prose, facts boxes, the comparison table, the `data`
//! shortcode, `about:` front matter, located errors in data files, and collections that are not
//! the guide's ("products") or grow (a seventh item) with no template edits.

mod common;
use common::*;

#[test]
fn item_page_joins_data_and_prose() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/activ/index.html");
    assert_eq!(texts(&doc, "h1"), ["activ"]);
    assert_eq!(
        texts(&doc, ".facts th"),
        ["Website", "Balance code", "Support"]
    );
    assert_eq!(
        attrs(&doc, ".facts td a[rel=noopener]", "href")[0],
        "https://activ.kz/"
    );
    assert_eq!(
        texts(&doc, ".facts .status"),
        ["Confirmed", "Confirmed", "Secondary"]
    );
    assert!(texts(&doc, ".content p").contains(&"Prose about activ.".to_owned()));
    // Pages whose front matter is `about` the item are listed on its page.
    assert_eq!(
        attrs(&doc, ".item-pages a", "href"),
        ["../../guide/topup/index.html"]
    );
    // A language without prose still gets the page, with the facts in its own language.
    let zh = site.html("public/zh/operators/activ/index.html");
    assert_eq!(texts(&zh, ".facts th"), ["网站", "查询余额", "客服"]);
    assert!(
        texts(&zh, ".facts td")
            .iter()
            .any(|t| t.starts_with("在应用内"))
    );
}

#[test]
fn unconfirmed_facts_are_never_shown_as_fact() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/kcell/index.html");
    // The facts box: a badge and a note in place of the value (never slanted text).
    let cells = texts(&doc, ".facts tr.fact-unconfirmed td");
    assert_eq!(
        cells,
        ["Not confirmed no source we could cite confirms this value"],
        "{cells:?}"
    );
    let ru = site.html("public/ru/operators/kcell/index.html");
    assert_eq!(
        texts(&ru, ".facts tr.fact-unconfirmed .status-unconfirmed"),
        ["Не подтверждено"]
    );
    // The shortcode renders the same wording inline.
    let page = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        texts(&page, ".content .fact"),
        ["*111*3#", "not confirmed: check the official app or office"]
    );
    assert_eq!(
        attrs(&page, ".content .fact", "class")[1],
        "fact fact-unconfirmed"
    );
}

#[test]
fn page_about_an_item_shows_its_facts_box() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        attrs(&doc, ".facts h2 a", "href"),
        ["../../operators/activ/index.html"]
    );
    assert_eq!(texts(&doc, ".facts th").len(), 3);
}

/// Search reads an item's facts box on the item's own page only: a page about the item keeps
/// the box out of its index, so a fact finds one section, and the page's opening paragraph,
/// which follows the box, stays in the page's own first section instead of the box's.
#[test]
fn search_reads_the_facts_box_on_the_items_own_page_only() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/en/guide/intro.md",
        "---\ntitle: Intro\nabout: operators/activ\n---\nOpening words here.\n\n## Later\n\nMore.\n",
    );
    site.build();
    let about = site.html("public/en/guide/intro/index.html");
    assert_eq!(attrs(&about, ".facts", "data-search-ignore"), [""]);
    let own = site.html("public/en/operators/activ/index.html");
    assert_eq!(texts(&own, ".facts h2"), ["Key facts"]);
    assert!(attrs(&own, ".facts", "data-search-ignore").is_empty());
    let (docs, _) = search_docs(&site.path("public"), "en");
    let of = |url: &str| -> Vec<(String, Option<String>)> {
        docs.iter()
            .filter(|d| d.url == url)
            .map(|d| (d.heading.clone(), d.anchor.clone()))
            .collect()
    };
    assert!(
        of("en/operators/activ/")
            .iter()
            .any(|(h, _)| h == "Key facts"),
        "{:?}",
        of("en/operators/activ/")
    );
    for url in ["en/guide/intro/", "en/guide/topup/"] {
        let headings = of(url);
        assert!(!headings.is_empty(), "{url} is indexed");
        assert!(
            !headings.iter().any(|(h, _)| h.contains("Key facts")),
            "{url}: {headings:?}"
        );
    }
    assert_eq!(
        of("en/guide/intro/"),
        [
            ("Intro".to_owned(), Some("top".to_owned())),
            ("Later".to_owned(), None)
        ]
    );
}

#[test]
fn collection_index_compares_side_by_side() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/index.html");
    assert_eq!(
        texts(&doc, ".comparison thead th"),
        ["Fact", "Kcell", "activ"]
    );
    assert_eq!(
        texts(&doc, ".comparison tbody th"),
        ["Website", "Balance code", "Support"]
    );
    let support: Vec<String> = texts(&doc, ".comparison tbody tr:nth-child(3) td");
    assert_eq!(support[0], "—", "a fact the item does not list");
    assert!(support[1].starts_with("In the app"));
}

#[test]
fn a_seventh_item_needs_no_template_edits() {
    let site = TestSite::fixture("seven-items");
    let out = site.build();
    assert!(
        stderr(&out).contains(
            "warning: content/kk/operators: no prose for 7 items of 'operators' (their pages show only their data): kcell, activ, beeline, tele2, altel, izi, newtel"
        ),
        "{}",
        stderr(&out)
    );
    for lang in ["en", "kk"] {
        let doc = site.html(&format!("public/{lang}/operators/index.html"));
        let columns = texts(&doc, ".comparison thead th");
        assert_eq!(columns.len(), 8, "{columns:?}");
        assert_eq!(columns[7], "Newtel");
        assert!(
            site.path(&format!("public/{lang}/operators/newtel/index.html"))
                .is_file()
        );
    }
    let doc = site.html("public/en/operators/newtel/index.html");
    assert_eq!(
        attrs(&doc, ".facts td a[rel=noopener]", "href")[0],
        "https://newtel.example.kz/"
    );
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn a_products_collection_gets_pages_index_and_comparison() {
    let site = TestSite::fixture("products");
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    for lang in ["en", "ru"] {
        for id in ["desk-lamp", "floor-lamp", "night-light"] {
            let page = format!("public/{lang}/products/{id}/index.html");
            assert!(site.path(&page).is_file(), "{page}");
        }
    }
    // The index: columns in the items' order (weight, then id), rows in `fields:` order.
    let en = site.html("public/en/products/index.html");
    assert_eq!(texts(&en, "h1"), ["Products"]);
    assert_eq!(
        texts(&en, ".comparison thead th"),
        ["Fact", "Desk lamp", "Floor lamp", "Night light"]
    );
    assert_eq!(
        texts(&en, ".comparison tbody th"),
        ["Price", "Power", "Maker"]
    );
    assert_eq!(
        attrs(&en, ".comparison thead a", "href"),
        [
            "desk-lamp/index.html",
            "floor-lamp/index.html",
            "night-light/index.html"
        ]
    );
    assert_eq!(
        attrs(&en, ".cards a", "href"),
        [
            "desk-lamp/index.html",
            "floor-lamp/index.html",
            "night-light/index.html"
        ]
    );
    let ru = site.html("public/ru/products/index.html");
    assert_eq!(texts(&ru, "h1"), ["Товары"]);
    assert_eq!(
        texts(&ru, ".comparison tbody th"),
        ["Цена", "Мощность", "Производитель"]
    );
    assert_eq!(
        texts(&ru, ".comparison thead th")[1..],
        ["Desk lamp", "Торшер", "Ночник"]
    );
    assert!(broken_links(&site.path("public")).is_empty());
}

#[test]
fn a_products_item_shows_legal_name_checked_dates_and_related_pages() {
    let site = TestSite::fixture("products");
    site.build();
    let doc = site.html("public/en/products/desk-lamp/index.html");
    assert_eq!(texts(&doc, ".legal-name"), ["Desk Lamp Model DL-1"]);
    assert_eq!(
        attrs(&doc, ".facts .checked time", "datetime"),
        ["2026-11-19"]
    );
    assert_eq!(texts(&doc, ".content .fact"), ["12 EUR"]);
    assert_eq!(
        attrs(&doc, ".item-pages a", "href"),
        ["../../reading/index.html"]
    );
    let ru = site.html("public/ru/products/desk-lamp/index.html");
    assert_eq!(texts(&ru, ".legal-name"), ["Настольная лампа DL-1"]);
    assert_eq!(
        texts(&ru, ".facts td")[0].split_whitespace().next(),
        Some("12")
    );
    // A page `about` an item shows its facts box; the shortcode works for any item.
    let reading = site.html("public/en/reading/index.html");
    assert_eq!(
        attrs(&reading, ".facts h2 a", "href"),
        ["../products/desk-lamp/index.html"]
    );
    assert_eq!(texts(&reading, ".content .fact"), ["5 W", "not confirmed"]);
    // The home page lists the collection with its items.
    let home = site.html("public/en/index.html");
    assert_eq!(texts(&home, ".chooser h2"), ["Products"]);
    assert_eq!(
        attrs(&home, ".chooser .item-list a", "href"),
        [
            "products/desk-lamp/index.html",
            "products/floor-lamp/index.html",
            "products/night-light/index.html"
        ]
    );
}

#[test]
fn data_file_errors_are_located() {
    let site = TestSite::fixture("products");
    site.write(
        "data/products/lamp.yaml",
        "name: Lamp\nreviewed: 2026-11-20\nfacts:\n  price: {value: '1', status: confirmd}\n",
    );
    site.write(
        "data/products/bulb.yaml",
        "name: Bulb\nreviewed: 2026-11-20\nfacts:\n  prise: {value: '1', status: confirmed, source: 'https://lamps.example/'}\n  watts: {value: '2', status: confirmed}\n",
    );
    site.write("data/produts/x.yaml", "name: X\nreviewed: 2026-11-20\n");
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("data/products/lamp.yaml:4:"), "{err}");
    assert!(err.contains("unknown variant 'confirmd'"), "{err}");
    assert!(
        err.contains("data/products/bulb.yaml:4: fact 'prise': unknown fact key\n  hint: did you mean 'price'?"),
        "{err}"
    );
    assert!(
        err.contains(
            "data/products/bulb.yaml:5: fact 'watts': a confirmed fact needs a `source` URL"
        ),
        "{err}"
    );
    assert!(
        err.contains("data/produts: data folder 'produts' belongs to no collection\n  hint: did you mean 'products'?"),
        "{err}"
    );
    assert!(
        !site.path("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn shortcode_and_about_errors_are_located() {
    let site = TestSite::fixture("products");
    site.write(
        "content/en/bad.md",
        "---\ntitle: Bad\nabout: products/desk-lam\n---\nA {{ data(c=\"product\", id=\"desk-lamp\", key=\"price\") }}\nB {{ data(c=\"products\", id=\"desk-lamp\", key=\"colour\") }}\n",
    );
    let out = site.steppe(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/en/bad.md:3: front matter: unknown item in about: 'products/desk-lam'\n  hint: did you mean 'products/desk-lamp'?"),
        "{err}"
    );
    site.write(
        "content/en/bad.md",
        "---\ntitle: Bad\n---\nA {{ data(c=\"product\", id=\"desk-lamp\", key=\"price\") }}\nB {{ data(c=\"products\", id=\"desk-lamp\", key=\"colour\") }}\n",
    );
    let err = stderr(&site.steppe(&["build"]));
    assert!(
        err.contains("content/en/bad.md:4:3: shortcode: unknown collection 'product'"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/en/bad.md:5:3: shortcode: item 'products/desk-lamp' has no fact 'colour'"
        ),
        "{err}"
    );
}
