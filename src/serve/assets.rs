//! The web application, compiled into the binary: plain HTML, CSS and JavaScript with no build
//! step and no request to any other host (the page's Content-Security-Policy allows only this
//! server).

pub const INDEX_HTML: &str = include_str!("assets/index.html");
pub const APP_JS: &str = include_str!("assets/app.js");
pub const APP_CSS: &str = include_str!("assets/app.css");
