//! What `build` shows while it runs, on a terminal only: the stage it is in, then a bar while
//! it makes the social cards and downloads (the one stage long enough to wait on). On a pipe or
//! in CI nothing is drawn (indicatif hides itself when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// A spinner with the stage's name, drawn on stderr when it is a terminal.
pub fn bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(style("{spinner} {elapsed:>3} {msg}"));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Say which stage the build is in.
pub(crate) fn stage(progress: Option<&ProgressBar>, what: &'static str) {
    if let Some(p) = progress {
        p.set_message(what);
    }
}

/// A stage of `len` steps: from now the bar counts them (`inc`).
pub(crate) fn counted(progress: Option<&ProgressBar>, what: &'static str, len: usize) {
    if let Some(p) = progress {
        p.set_style(style("{spinner} {elapsed:>3} {msg} {wide_bar} {pos}/{len}"));
        p.set_message(what);
        p.set_length(len as u64);
    }
}

fn style(template: &str) -> ProgressStyle {
    // The templates are constant and valid; the fallback only keeps this free of panics.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}
