//! A built site served the way docs/deploy.md says: nginx on loopback with
//! `gzip_static` and `brotli_static`, handing each client the precompressed
//! sibling it accepts. Needs nginx and its brotli_static module (.ci/run
//! installs both); without nginx on the machine the test says so and passes
//! nothing off as checked.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::SiteTest;

const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_nginx(root: &Path, public: &Path, port: u16) -> Nginx {
    let conf = root.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "load_module {BROTLI_MODULE};\n\
             daemon off;\nworker_processes 1;\nuser root;\n\
             pid {pid};\nerror_log {log} warn;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n\
               client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n\
               fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n\
               server {{\n    listen 127.0.0.1:{port};\n    root {public};\n\
                 gzip_static on;\n    brotli_static on;\n  }}\n}}\n",
            pid = root.join("nginx.pid").display(),
            log = root.join("nginx-error.log").display(),
            tmp = root.display(),
            public = public.display(),
        ),
    )
    .unwrap();
    let child = Command::new("nginx")
        .args([
            "-c",
            &conf.display().to_string(),
            "-p",
            &root.display().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nginx");
    let nginx = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nginx did not start: {}", {
            std::fs::read_to_string(root.join("nginx-error.log")).unwrap_or_default()
        });
        std::thread::sleep(Duration::from_millis(50));
    }
    nginx
}

/// (headers, body) of a GET with `Accept-Encoding: accept`.
fn get(port: u16, path: &str, accept: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept-Encoding: {accept}\r\n\r\n"
    )
    .unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let headers = String::from_utf8_lossy(&reply[..split]).to_ascii_lowercase();
    (headers, reply[split + 4..].to_vec())
}

#[test]
fn nginx_serves_the_precompressed_sibling_each_client_accepts() {
    let has_nginx = Command::new("nginx").arg("-v").output().is_ok();
    if !has_nginx || !Path::new(BROTLI_MODULE).is_file() {
        eprintln!(
            "nginx or its brotli_static module is not installed: skipped (.ci/run installs them)"
        );
        return;
    }
    let site = SiteTest::new("newsroom");
    let toml = site.root.join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("compress = [\"gzip\", \"br\"]\n{config}")).unwrap();
    site.build_ok();
    let port = free_port();
    let _nginx = start_nginx(&site.root, &site.public(), port);
    let page = "/news/us/harbor-dredging/index.html";
    let file = |rel: &str| std::fs::read(site.public().join(rel.trim_start_matches('/'))).unwrap();

    let (headers, body) = get(port, page, "br, gzip");
    assert!(headers.starts_with("http/1.1 200"), "{headers}");
    assert!(headers.contains("content-encoding: br"), "{headers}");
    assert_eq!(body, file(&format!("{page}.br")));

    let (headers, body) = get(port, page, "gzip");
    assert!(headers.contains("content-encoding: gzip"), "{headers}");
    assert_eq!(body, file(&format!("{page}.gz")));

    let (headers, body) = get(port, page, "identity");
    assert!(!headers.contains("content-encoding"), "{headers}");
    assert_eq!(body, file(page));
    assert!(headers.contains("content-type: text/html"), "{headers}");
}
