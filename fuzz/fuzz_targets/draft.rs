//! `cifras new bulletin --from` on arbitrary input: the text, HTML and PDF readers never panic
//! and never hang, and whatever they read, the draft is a bulletin file the schema accepts.
#![no_main]

use std::sync::OnceLock;

use cifras::draft::{self, Catalogue, Options};
use cifras::load::parse_str;
use cifras::load::schema::{BulletinFile, MetricsFile, PlacesFile};
use libfuzzer_sys::fuzz_target;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| {
        let metrics: MetricsFile =
            parse_str(include_str!("../../content/metrics.yaml")).expect("bundled metrics");
        let places: PlacesFile =
            parse_str(include_str!("../../content/places.yaml")).expect("bundled places");
        Catalogue::new(&metrics, &places)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let kind = match mode % 3 {
        0 => "txt",
        1 => "html",
        _ => "pdf",
    };
    let Ok(text) = draft::text_from_bytes(kind, rest.to_vec()) else {
        return;
    };
    let options = Options {
        year: (mode & 0x80 != 0).then_some(2021),
    };
    let d = draft::draft(&text, "fuzz.txt", catalogue(), &options);
    if let Err(e) = parse_str::<BulletinFile>(&d.yaml) {
        panic!("the draft is not a valid bulletin file: {e:?}\n{}", d.yaml);
    }
});
