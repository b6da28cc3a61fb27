//! Checksums of revision sources, blind to byte-order marks and line endings.

use sha2::{Digest, Sha256};

/// The source text as checksummed: a leading UTF-8 byte-order mark removed, CRLF
/// and lone CR turned into LF.
pub fn normalize_source(source: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    source.replace("\r\n", "\n").replace('\r', "\n")
}

/// SHA-256 (lowercase hex) of a revision file's text after [`normalize_source`]:
/// a file saved with CRLF line endings or a byte-order mark keeps its checksum;
/// any other edit changes it.
pub fn checksum(source: &str) -> String {
    let digest = Sha256::digest(normalize_source(source).as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    const LF: &str = "//! A\nuse stratum::prelude::*;\n\npub fn upgrade(_op: &mut Ops) {}\n";

    #[test]
    fn known_digest() {
        // sha256("abc") from FIPS 180-2.
        assert_eq!(
            checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(checksum("abc").len(), 64);
    }

    #[test]
    fn line_endings_and_bom_do_not_count() {
        let crlf = LF.replace('\n', "\r\n");
        let cr = LF.replace('\n', "\r");
        let bom = format!("\u{feff}{LF}");
        let bom_crlf = format!("\u{feff}{crlf}");
        for variant in [&crlf, &cr, &bom, &bom_crlf] {
            assert_eq!(checksum(variant), checksum(LF), "{variant:?}");
        }
    }

    #[test]
    fn real_edits_count() {
        let base = checksum(LF);
        for edited in [
            LF.replace("A", "B"),
            LF.replace("\n\n", "\n"),
            format!("{LF}\n"),
            format!(" {LF}"),
            LF.replace("{}", "{ }"),
        ] {
            assert_ne!(checksum(&edited), base, "{edited:?}");
        }
        // A BOM in the middle is content, not a marker.
        assert_ne!(checksum(&LF.replacen('\n', "\n\u{feff}", 1)), base);
        // Only one leading BOM is a marker.
        assert_ne!(checksum(&format!("\u{feff}\u{feff}{LF}")), base);
    }
}
