//! What the search index alone costs: builds a project in memory, then times
//! `cifras::search::index` on its records (BENCHMARKS.md, "Search").
//!
//!     cargo run --release --example search_cost -- PROJECT [short]
//!
//! `short` indexes only the first 200 characters of each record's text, to see what the full
//! text costs. Run it under `/usr/bin/time -f "%e s %M KiB"` for peak memory.
use std::path::Path;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: search_cost PROJECT [short]");
        std::process::exit(2);
    };
    let short = args.next().as_deref() == Some("short");
    let outcome = match cifras::build_in_memory(Path::new(&root), &Default::default(), None) {
        Ok(o) => o,
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1);
        }
    };
    let mut records = outcome.search;
    drop(outcome.files);
    if short {
        for r in &mut records {
            r.content = r.content.chars().take(200).collect();
        }
    }
    let words: usize = records
        .iter()
        .map(|r| r.html().split_whitespace().count())
        .sum();
    let started = Instant::now();
    match cifras::search::index(&records) {
        Ok(files) => println!(
            "{} records, {words} words: indexed in {:.2} s into {} files, {} bytes",
            records.len(),
            started.elapsed().as_secs_f64(),
            files.len(),
            files.iter().map(|f| f.bytes.len()).sum::<usize>()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
