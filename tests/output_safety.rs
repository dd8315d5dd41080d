//! Integration tests: what `build` does to the output folder when things go wrong around it
//! (issue 16): two builds at once, debris of killed builds, read-only folders in the old site,
//! an output inside the sources, a full disk, and a closed pipe.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn cifras(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cifras"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run cifras")
}

fn build(root: &Path, out: &Path) -> Output {
    cifras(root, &["build", "-o", out.to_str().unwrap()])
}

/// Build `out` from `root`, which must succeed; its home page.
fn built(root: &Path, out: &Path) -> Vec<u8> {
    let o = build(root, out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::read(out.join("index.html")).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn second_build_into_the_same_output_is_refused_while_one_runs() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    // Hold the lock the way a running build does.
    let lock = fs::File::create(tmp.path().join(".public.cifras-lock")).unwrap();
    lock.try_lock().unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another cifras build is writing"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "nothing written");
    drop(lock);
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(tmp.path()),
        ["public", "site"],
        "no lock file or folder left"
    );
}

/// A killed build leaves its staging folder, or the old site moved aside; the next build
/// removes them, and puts back an old site left aside while `public/` was missing.
#[test]
fn debris_of_killed_builds_is_cleared_and_a_site_left_aside_is_put_back() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    let index = built(&root, &out);
    // Killed between the two renames: the old site is aside and public/ is missing; another
    // build was killed while staging.
    fs::rename(&out, tmp.path().join(".public.cifras-old-4000001")).unwrap();
    fs::create_dir_all(tmp.path().join(".public.cifras-new-4000002/boletines")).unwrap();
    fs::write(
        tmp.path().join(".public.cifras-new-4000002/boletines/x"),
        "x",
    )
    .unwrap();
    // The next build fails on its content: the old site must still be back in place.
    let bulletin = root.join("content/bulletins");
    let first = fs::read_dir(&bulletin)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .unwrap();
    let good = fs::read_to_string(&first).unwrap();
    fs::write(&first, good.replacen("title:", "titel:", 1)).unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(fs::read(out.join("index.html")).unwrap(), index);
    assert_eq!(names(tmp.path()), ["public", "site"], "debris removed");
    fs::write(&first, good).unwrap();
    // An unrelated folder with a similar name is left alone.
    fs::create_dir(tmp.path().join(".public.cifras-new-mine")).unwrap();
    let o = build(&root, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(tmp.path()),
        [".public.cifras-new-mine", "public", "site"]
    );
}

/// An old output whose folders were made read-only is still replaced completely. Root may
/// delete in read-only folders anyway, so as root the builds run as `nobody`.
#[cfg(unix)]
#[test]
fn old_output_with_read_only_folders_is_replaced_completely() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let (tmp, root) = common::project();
    let as_root = unsafe { libc::geteuid() } == 0;
    const NOBODY: u32 = 65534;
    if as_root {
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o777)).unwrap();
        for e in walkdir::WalkDir::new(tmp.path()) {
            std::os::unix::fs::chown(e.unwrap().path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }
    let out = tmp.path().join("public");
    let build = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cifras"));
        c.args(["build", "-o", out.to_str().unwrap(), "--root"])
            .arg(&root);
        if as_root {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                c.pre_exec(|| {
                    if libc::setgid(NOBODY) != 0 || libc::setuid(NOBODY) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        c.output().unwrap()
    };
    let o = build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut read_only = 0;
    for e in walkdir::WalkDir::new(&out).contents_first(true) {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            fs::set_permissions(e.path(), fs::Permissions::from_mode(0o555)).unwrap();
            read_only += 1;
        }
    }
    assert!(read_only > 3);
    let o = build();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert_eq!(names(tmp.path()), ["public", "site"], "no old folder left");
    assert!(out.join("index.html").is_file());
}

#[test]
fn output_inside_the_sources_is_refused() {
    let (_tmp, root) = common::project();
    for inside in [
        "content/bulletins/out",
        "content",
        "templates/x",
        "static/public",
    ] {
        let o = cifras(&root, &["build", "-o", root.join(inside).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{inside}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("refusing to write the site into"),
            "{}",
            stderr(&o)
        );
        assert!(!root.join(inside).join("index.html").exists());
    }
    assert_eq!(
        names(&root.join("content/bulletins"))
            .iter()
            .filter(|n| !n.ends_with(".yaml") && !n.ends_with(".md"))
            .count(),
        0
    );
    // A relative path through `..` is recognised too.
    let o = Command::new(env!("CARGO_BIN_EXE_cifras"))
        .current_dir(&root)
        .args(["build", "-o", "static/../content/x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("inside the project's content/ folder"),
        "{}",
        stderr(&o)
    );
}

/// A full disk gives one clear error about the output folder, not one per file attributed to
/// project paths. Measured with a file size limit (`RLIMIT_FSIZE`, 2 KB) in the child: every
/// larger file fails with EFBIG, as files fail with ENOSPC on a full disk.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_is_one_clear_error_and_the_old_site_stays() {
    use std::os::unix::process::CommandExt;
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    let index = built(&root, &out);
    // A change, so the build really writes again.
    let site = root.join("content/site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    fs::write(&site, text.replacen("title: \"", "title: \"X", 1)).unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_cifras"));
    c.args(["build", "-o", out.to_str().unwrap(), "--root"])
        .arg(&root);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(|| {
            // Writes beyond the limit fail with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 2048,
                rlim_max: 2048,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = c.output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("1 error, 0 warnings"), "{err}");
    assert!(
        err.contains(&format!("── {}", out.display())),
        "about the output folder: {err}"
    );
    assert!(err.contains("free some space"), "{err}");
    assert_eq!(
        fs::read(out.join("index.html")).unwrap(),
        index,
        "old site kept"
    );
    assert_eq!(names(tmp.path()), ["public", "site"]);
}

/// `cifras check | head -1`: the reader goes away, and cifras ends quietly, without a panic.
#[test]
fn closed_pipe_ends_quietly() {
    let (_tmp, root) = common::project();
    for closed in ["stdout", "stderr"] {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cifras"));
        c.args(["check", "--root"]).arg(&root);
        // Enough output on the closed stream: `--timings` on stderr, the summary on stdout.
        c.arg("--timings");
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (keep_out, keep_err) = (child.stdout.take(), child.stderr.take());
        let mut text = String::new();
        if closed == "stdout" {
            drop(keep_out);
            std::io::Read::read_to_string(&mut keep_err.unwrap(), &mut text).unwrap();
        } else {
            drop(keep_err);
            std::io::Read::read_to_string(&mut keep_out.unwrap(), &mut text).unwrap();
        }
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{closed} closed: {text}");
        assert!(!text.contains("panicked"), "{closed} closed: {text}");
    }
}
