//! Live reload: open pages listen to `/__cifras/events` (server-sent events) and reload after a
//! good rebuild, or show the problems of a broken one in an overlay. The script that listens is
//! injected into served HTML only; `cifras build` never writes it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Bytes;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

use super::http::Body;

/// The event stream's path (the script below hard-codes it).
pub(super) const EVENTS: &str = "/__cifras/events";

/// The listening script, put inline before `</body>`.
const SCRIPT: &str = include_str!("reload.js");

/// How often an idle stream gets a comment line: a closed page is noticed (the write fails and
/// its sender is dropped) instead of being kept until the next rebuild.
pub(super) const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The open event streams. The watcher's thread sends on them without a runtime: unbounded
/// senders need none, and a message is a few bytes per rebuild.
#[derive(Clone, Default)]
pub(super) struct Clients(Arc<Mutex<Vec<UnboundedSender<Bytes>>>>);

impl Clients {
    /// A new stream, starting with `first` (the current problem, if there is one).
    pub(super) fn subscribe(&self, first: Option<String>) -> Body {
        let (tx, rx) = unbounded_channel();
        if let Some(message) = first {
            let _ = tx.send(message.into());
        }
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        Body::Events(rx)
    }

    /// Send to every open page; streams whose page has gone are forgotten.
    pub(super) fn send(&self, message: &str) {
        let bytes = Bytes::from(message.to_string());
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|c| c.send(bytes.clone()).is_ok());
    }

    pub(super) fn keep_alive(&self) {
        self.send(": keep-alive\n\n");
    }
}

/// One server-sent event; the data is a JSON string so newlines survive.
pub(super) fn sse(event: &str, data: &str) -> String {
    format!(
        "event: {event}\ndata: {}\n\n",
        serde_json::Value::String(data.to_string())
    )
}

/// The page with the listening script before its last `</body>` (or at its end).
pub(super) fn inject(html: &[u8]) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len() + 20);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(b"<script>\n");
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(b"</script>\n");
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<body>a</body>x</body>")).unwrap();
        assert!(out.starts_with("<body>a</body>x<script>"), "{out}");
        assert!(out.ends_with("</script>\n</body>"), "{out}");
        assert!(out.contains(&format!("new EventSource(\"{EVENTS}\")")));
    }

    #[test]
    fn events_keep_newlines_inside_json() {
        assert_eq!(
            sse("problems", "a\nb"),
            "event: problems\ndata: \"a\\nb\"\n\n"
        );
    }

    #[test]
    fn a_closed_stream_is_forgotten() {
        let clients = Clients::default();
        let open = clients.subscribe(None);
        drop(clients.subscribe(None));
        clients.keep_alive();
        assert_eq!(clients.0.lock().unwrap().len(), 1);
        drop(open);
        clients.keep_alive();
        assert!(clients.0.lock().unwrap().is_empty());
    }
}
