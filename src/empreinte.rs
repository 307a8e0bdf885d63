//! File fingerprints: size and SHA-256 read in a stream, so a dataset file
//! of any size is hashed in constant memory. Shared by `export` (which
//! writes them into `datapackage.json`) and `validate` (which checks them).

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Size in bytes and lowercase hex SHA-256 of a file.
pub fn fichier(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}
