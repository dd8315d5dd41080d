//! The `cifras` command: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    },
    /// Check everything a build does (templates included) without writing anything.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build { output } => {
            let out = output.clone().unwrap_or_else(|| cli.root.join("public"));
            cifras::build(&cli.root, &out).map(|o| (o, Some(out)))
        }
        Command::Check => cifras::check(&cli.root).map(|o| (o, None)),
    };
    // Messages name files relative to the project; prefix --root so editors can open them.
    let located = |mut d: cifras::diagnostics::Diagnostics| {
        if cli.root != std::path::Path::new(".") {
            for diag in &mut d.0 {
                if diag.path.is_relative() && !diag.path.starts_with(&cli.root) {
                    diag.path = cli.root.join(&diag.path);
                }
            }
        }
        d
    };
    match result {
        Ok((outcome, out)) => {
            if !outcome.diagnostics.is_empty() {
                eprintln!("{}\n", located(outcome.diagnostics));
            }
            match out {
                Some(out) => println!(
                    "Built {} files from {} bulletins ({} figures) into {}",
                    outcome.files.len(),
                    outcome.bulletins,
                    outcome.figures,
                    out.display()
                ),
                None => println!(
                    "OK: {} bulletins, {} figures, {} files would be written",
                    outcome.bulletins,
                    outcome.figures,
                    outcome.files.len()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprintln!("{}", located(diags));
            eprintln!("Nothing was written.");
            ExitCode::FAILURE
        }
    }
}
