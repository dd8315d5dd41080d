//! The `cifras` command: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cifras::diagnostics::{escape_controls, Diagnostics};
use cifras::{say, tell};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "cifras",
    version,
    about = "Static site generator for public-health statistics bulletins"
)]
struct Cli {
    /// Project folder (the one holding content/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public).
    Build {
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Treat warnings as errors: build nothing unless the content is clean.
        #[arg(long)]
        strict: bool,
        /// Publish under this URL instead of `base_url` in content/site.yaml,
        /// e.g. https://OWNER.github.io/REPO/
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Keep work between builds here (default: <root>/.cifras-cache).
        #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
        cache_dir: Option<PathBuf>,
        /// Build everything afresh: neither read nor write the build cache.
        #[arg(long)]
        no_cache: bool,
    },
    /// Find every problem a build would meet (every page rendered) without writing anything.
    Check {
        /// Treat warnings as errors (exit 1 if there are any).
        #[arg(long)]
        strict: bool,
        /// How to print problems: `text` for people, `json` for editors and CI.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
        /// Print, for each figure, the sentence of its bulletin it was traced to (or "number
        /// only" when the sentence does not name its indicator, or "not found").
        #[arg(long)]
        explain: bool,
    },
    /// Preview the site: build in memory, serve on loopback, rebuild and reload on every change.
    Serve {
        /// Port to listen on; without it, the first free one from 1111 (0 lets the system pick).
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on. Only loopback unless you ask: the preview is for you.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Serve as if published at this URL (its path becomes the sub-path served).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Write a synthetic project of N bulletins, for benchmarks (not real data; only in
    /// builds with `--features synth`).
    #[cfg(feature = "synth")]
    #[command(hide = true)]
    Synth {
        /// How many bulletins.
        bulletins: usize,
        /// Project folder to create (its content/ is written).
        #[arg(long)]
        out: PathBuf,
        /// Also write the same texts as a plain Hugo site in this folder.
        #[arg(long)]
        hugo: Option<PathBuf>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Create new content from a commented template.
    New {
        #[command(subcommand)]
        what: New,
    },
}

#[derive(Subcommand)]
enum New {
    /// Scaffold content/bulletins/<SLUG>.yaml and <SLUG>.md (never overwrites); with --from,
    /// draft them from the bulletin as published.
    Bulletin {
        slug: String,
        /// The published bulletin (.pdf, .txt, .html/.htm or .md): the .md gets its cleaned
        /// text and the .yaml a draft of its figures, each with a comment quoting its sentence.
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// With --from: the year of periods the text gives without one ("del 12 al 18 de
        /// julio") when the text states no year at all (recorded as `year_stated: false`).
        #[arg(long, requires = "from")]
        year: Option<i32>,
    },
    /// Append a commented entry for a new indicator to content/metrics.yaml (never overwrites;
    /// `check` refuses it until its texts are written).
    Metric {
        /// e.g. `transplants.lung` (a part nested under its total with a dot).
        id: String,
    },
    /// Append a commented entry for a new place to content/places.yaml (never overwrites;
    /// `check` refuses it until its name is written).
    Place {
        /// e.g. `veracruz-norte`: the page's URL, lugares/<id>/.
        id: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build {
            output,
            strict,
            base_url,
            timings,
            cache_dir,
            no_cache,
        } => {
            let out = output.clone().unwrap_or_else(|| cli.root.join("public"));
            let cache = match no_cache {
                true => None,
                false => Some(
                    cache_dir
                        .clone()
                        .unwrap_or_else(|| cifras::cache::default_dir(&cli.root)),
                ),
            };
            let options = cifras::Options {
                strict: *strict,
                base_url: base_url.clone(),
                cache,
                progress: Some(cifras::progress::bar()),
                ..Default::default()
            };
            let built = cifras::build_with(&cli.root, &out, &options);
            if let Some(p) = &options.progress {
                p.finish_and_clear();
            }
            match built {
                Ok(mut outcome) => {
                    let diagnostics = std::mem::take(&mut outcome.diagnostics);
                    if !diagnostics.is_empty() {
                        tell!("{}\n", located(diagnostics, &cli.root));
                    }
                    let reused = match outcome.cache {
                        Some([cards, svgs, search]) if cards.hits + svgs.hits + search.hits > 0 => {
                            format!(
                                "; from the cache: {} of {} social cards, {} of {} chart drawings{}",
                                cards.hits,
                                cards.hits + cards.made,
                                svgs.hits,
                                svgs.hits + svgs.made,
                                if search.hits > 0 { ", the search index" } else { "" }
                            )
                        }
                        _ => String::new(),
                    };
                    say!(
                        "Built {} files from {} bulletins ({} figures) into {}{reused}",
                        outcome.file_count(),
                        outcome.bulletins,
                        outcome.figures,
                        out.display()
                    );
                    if *timings {
                        tell!("Timings: {}", outcome.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    tell!("{}", located(diags, &cli.root));
                    tell!("Nothing was written; {} is unchanged.", out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            strict,
            format,
            timings,
            explain,
        } => {
            let options = cifras::Options {
                explain: *explain,
                ..Default::default()
            };
            let mut explained = Vec::new();
            let (diags, ok, summary) = match cifras::check_with(&cli.root, &options) {
                Ok(o) => {
                    explained = o.explained;
                    if *timings {
                        tell!("Timings: {}", o.timings);
                    }
                    let summary = format!(
                        "{} bulletins, {} figures, {} files would be written",
                        o.bulletins,
                        o.figures,
                        o.files.len()
                    );
                    (o.diagnostics, true, summary)
                }
                Err(d) => (d, false, String::new()),
            };
            let diags = if *strict { diags.strict() } else { diags };
            let ok = ok && !diags.has_errors();
            let diags = located(diags, &cli.root);
            match format {
                Format::Json => {
                    let mut json = diags.to_json();
                    if *explain {
                        json["figures"] = serde_json::json!(explained);
                    }
                    say!("{json}");
                }
                Format::Text => {
                    for e in &explained {
                        say!("{e}");
                    }
                    if !diags.is_empty() {
                        tell!("{diags}");
                    }
                    if ok {
                        say!("OK: {summary}");
                    }
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Serve {
            port,
            bind,
            base_url,
        } => {
            let serve = cifras::serve::ServeOptions {
                bind: *bind,
                port: *port,
                options: cifras::Options {
                    strict: false,
                    base_url: base_url.clone(),
                    ..Default::default()
                },
            };
            match cifras::serve::serve(&cli.root, serve) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => failed(e),
            }
        }
        #[cfg(feature = "synth")]
        Command::Synth {
            bulletins,
            out,
            hugo,
            seed,
        } => match cifras::synth::write(out, *bulletins, *seed, hugo.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => failed(e),
        },
        Command::New {
            what: New::Metric { id },
        } => match cifras::scaffold_entry::new_metric(&cli.root, id) {
            Ok(path) => {
                say!(
                    "Added metric `{id}` to {}.\nWrite its label, unit, definition and aliases there (each field is explained), then run `cifras check`.",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => failed(e),
        },
        Command::New {
            what: New::Place { id },
        } => match cifras::scaffold_entry::new_place(&cli.root, id) {
            Ok(path) => {
                say!(
                    "Added place `{id}` to {}.\nWrite its name and kind there, then run `cifras check`.",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => failed(e),
        },
        Command::New {
            what: New::Bulletin { slug, from, year },
        } => match from {
            Some(from) => {
                let options = cifras::draft::Options { year: *year };
                match cifras::draft::new_bulletin_from(&cli.root, slug, from, &options) {
                    Ok([yaml, md]) => {
                        say!(
                            "Drafted {} and {} from {}.\nCheck every figure against the text (each has a comment quoting its sentence), then run `cifras check`.",
                            yaml.display(),
                            md.display(),
                            from.display()
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => failed(e),
                }
            }
            None => match cifras::scaffold::new_bulletin(&cli.root, slug) {
                Ok([yaml, md]) => {
                    say!(
                        "Created {} and {}.\nPaste the bulletin's text into the .md, fill in the .yaml, then run `cifras check`.",
                        yaml.display(),
                        md.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => failed(e),
            },
        },
    }
}

/// A command's error on stderr, its control characters escaped (it may quote content).
fn failed(e: impl std::fmt::Display) -> ExitCode {
    tell!("error: {}", escape_controls(&e.to_string()));
    ExitCode::FAILURE
}

/// Messages name files relative to the project; prefix --root so editors can open them.
fn located(mut d: Diagnostics, root: &Path) -> Diagnostics {
    if root != Path::new(".") {
        for diag in &mut d.0 {
            if diag.path.is_relative() && !diag.path.starts_with(root) {
                diag.path = root.join(&diag.path);
            }
        }
    }
    d
}
