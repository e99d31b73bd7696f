//! Static files for `--www DIR` (the playground page), served at `/`.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::StatusCode;
use axum::response::Response;
use percent_encoding::percent_decode_str;

use crate::envelope;
use crate::error::ApiError;
use crate::ids;

/// The content type for a file name.
fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file path under `root` for a URL path; `None` for anything that could leave `root`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for segment in url_path.split('/') {
        if segment.is_empty() {
            continue;
        }
        let decoded = percent_decode_str(segment).decode_utf8().ok()?;
        if decoded == "." || decoded == ".." || decoded.contains(['/', '\\', '\0']) {
            return None;
        }
        path.push(decoded.as_ref());
    }
    Some(path)
}

fn not_found() -> Response {
    envelope::error(&ApiError::unknown_path(), &ids::request_id())
}

/// Serves the file for `url_path` (`index.html` for a folder).
pub(crate) async fn serve(root: &Path, url_path: &str) -> Response {
    let Some(mut path) = resolve(root, url_path) else {
        return not_found();
    };
    match tokio::fs::metadata(&path).await {
        Ok(meta) if meta.is_dir() => {
            if !url_path.ends_with('/') {
                // Relative links in the folder's index.html need the trailing slash.
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
                if let Ok(location) = HeaderValue::from_str(&format!("{url_path}/")) {
                    response.headers_mut().insert(LOCATION, location);
                }
                return response;
            }
            path.push("index.html");
        }
        Ok(_) => {}
        Err(_) => return not_found(),
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
            headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a/app.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("x.MJS")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn refuses_to_leave_the_root() {
        let root = Path::new("/srv/www");
        assert_eq!(resolve(root, "/a/b.js"), Some(PathBuf::from("/srv/www/a/b.js")));
        assert_eq!(resolve(root, "/"), Some(PathBuf::from("/srv/www")));
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc"), None);
        assert_eq!(resolve(root, "/a%2Fb"), None);
    }
}
