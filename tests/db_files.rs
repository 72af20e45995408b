//! Files and approvals against a real MariaDB and a real storage directory:
//! who can name which version, uploads by content and size, the approval
//! rules and the hash chain (1,000 decisions verify; an edited row fails).

mod common;

use common::*;
use pqm::approvals::{self, Decide, Decided, RequestApproval, VerifyReq};
use pqm::files::{self, AddFile, Authorized, DownloadRequest, UploadOutcome};
use pqm::principal::Principal;
use pqm::{signing, Error};
use std::path::PathBuf;

const SECRET: &str = "test-secret-0123456789abcdef";

struct Fx {
    db: TestDb,
    storage: PathBuf,
}

impl Drop for Fx {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.storage);
    }
}

fn fixture() -> Fx {
    let mut db = TestDb::new();
    seed(&mut db);
    let storage = std::env::temp_dir().join(format!("pqm-db-files-{}", db.cfg.name));
    std::fs::create_dir_all(&storage).unwrap();
    Fx { db, storage }
}

impl Fx {
    fn storage(&self) -> String {
        self.storage.display().to_string()
    }

    fn write_src(&self, name: &str, bytes: &[u8]) -> String {
        let dir = self.storage.parent().unwrap().join(format!("{}-src", self.db.cfg.name));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }

    fn add(&mut self, order: &str, name: &str, bytes: &[u8], type_slug: &str, internal: bool, unshared: bool) -> files::Added {
        let path = self.write_src(name, bytes);
        let a = AddFile { order: order.into(), path, type_slug: type_slug.into(), name: Some(name.into()), internal, unshared, storage: self.storage(), ..Default::default() };
        self.db.run(async |c, cfg| files::add_file(c, cfg, &Principal::cli(), a).await.unwrap())
    }

    fn download(&mut self, who: &Principal, req: DownloadRequest) -> Result<Authorized, Error> {
        let req = DownloadRequest { storage: self.storage(), secret: SECRET.into(), ..req };
        self.db.run(async |c, cfg| files::authorize_download(c, cfg, who, req).await)
    }

    fn blobs(&self) -> usize {
        walk(&self.storage)
    }
}

fn walk(d: &std::path::Path) -> usize {
    std::fs::read_dir(d).map(|it| it.map(|e| e.unwrap().path()).map(|p| if p.is_dir() { walk(&p) } else { 1 }).sum()).unwrap_or(0)
}

fn pdf(text: &str) -> Vec<u8> {
    pqm::demo::demo_pdf(text)
}

fn req(order: &str) -> DownloadRequest {
    DownloadRequest { order: order.into(), ..Default::default() }
}

#[test]
fn versions_are_kept_content_addressed_and_visible_only_when_meant() {
    let mut fx = fixture();
    let v1 = fx.add("PQ-1001", "proof.pdf", &pdf("v1"), "proof", false, false);
    let v2 = fx.add("PQ-1001", "proof.pdf", &pdf("v2"), "proof", false, true); // not shared
    let again = fx.add("PQ-1002", "same.pdf", &pdf("v1"), "proof", false, false);
    let internal = fx.add("PQ-1001", "plate.pdf", &pdf("plate"), "production", false, false);
    assert_eq!((v1.version, v2.version, v1.file_id), (1, 2, v2.file_id), "a second Proof is version 2 of the same file");
    assert!(!again.new_blob && again.sha256 == v1.sha256, "the same content is stored once");
    assert!(internal.internal, "a non-customer type is always internal");
    assert_eq!(fx.blobs(), 3);

    let alice = customer(ALICE);
    // Alice gets v1 (newest *shared*), by file, by version id, by hash.
    let got = fx.download(&alice, DownloadRequest { file: Some(v1.file_id), ..req("PQ-1001") }).unwrap();
    assert_eq!((got.version, got.sha256.as_str()), (1, v1.sha256.as_str()));
    assert_eq!(std::fs::read(&got.path).unwrap(), pdf("v1"), "the returned path holds exactly the authorised version");
    assert!(fx.download(&alice, DownloadRequest { version_id: Some(v1.version_id), ..req("PQ-1001") }).is_ok());
    assert!(fx.download(&alice, DownloadRequest { sha256: Some(v1.sha256.clone()), ..req("PQ-1001") }).is_ok());
    // Staff get the unshared v2 and the internal file.
    let staff = fx.download(&Principal::cli(), DownloadRequest { file: Some(v1.file_id), ..req("PQ-1001") }).unwrap();
    assert_eq!(staff.version, 2);
    assert!(fx.download(&Principal::cli(), DownloadRequest { file: Some(internal.file_id), ..req("PQ-1001") }).is_ok());

    // Every other way of naming → NotFound, exactly like a missing id.
    let bob = customer(BOB);
    let probes: Vec<(&str, Principal, DownloadRequest)> = vec![
        ("unshared v2 by number", alice.clone(), DownloadRequest { file: Some(v1.file_id), version: Some(2), ..req("PQ-1001") }),
        ("unshared v2 by id", alice.clone(), DownloadRequest { version_id: Some(v2.version_id), ..req("PQ-1001") }),
        ("unshared v2 by hash", alice.clone(), DownloadRequest { sha256: Some(v2.sha256.clone()), ..req("PQ-1001") }),
        ("internal by file", alice.clone(), DownloadRequest { file: Some(internal.file_id), ..req("PQ-1001") }),
        ("internal by version", alice.clone(), DownloadRequest { version_id: Some(internal.version_id), ..req("PQ-1001") }),
        ("internal by hash", alice.clone(), DownloadRequest { sha256: Some(internal.sha256.clone()), ..req("PQ-1001") }),
        ("other customer by file", bob.clone(), DownloadRequest { file: Some(v1.file_id), ..req("PQ-1001") }),
        ("other customer by version", bob.clone(), DownloadRequest { version_id: Some(v1.version_id), ..req("PQ-1001") }),
        ("other customer by hash", bob.clone(), DownloadRequest { sha256: Some(v1.sha256.clone()), ..req("PQ-1001") }),
        ("other customer via own order", bob.clone(), DownloadRequest { file: Some(v1.file_id), ..req("PQ-1019") }),
        ("file of another order", alice.clone(), DownloadRequest { file: Some(again.file_id), ..req("PQ-1001") }),
        ("version of another order", alice.clone(), DownloadRequest { version_id: Some(again.version_id), ..req("PQ-1001") }),
        ("file id with a foreign version id", alice.clone(), DownloadRequest { file: Some(v1.file_id), version_id: Some(again.version_id), ..req("PQ-1001") }),
        ("missing file", alice.clone(), DownloadRequest { file: Some(999_999), ..req("PQ-1001") }),
        ("bad hash", alice.clone(), DownloadRequest { sha256: Some("../../etc/passwd".into()), ..req("PQ-1001") }),
        ("no selector", alice.clone(), req("PQ-1001")),
        ("logged out", Principal::logged_out(), DownloadRequest { file: Some(v1.file_id), ..req("PQ-1001") }),
        ("no links", customer(DAVE), DownloadRequest { file: Some(v1.file_id), ..req("PQ-1001") }),
    ];
    for (what, who, r) in probes {
        assert!(matches!(fx.download(&who, r), Err(Error::NotFound)), "{what}");
    }
    // The same hash named on the other order works only there.
    assert_eq!(fx.download(&alice, DownloadRequest { sha256: Some(v1.sha256.clone()), ..req("PQ-1002") }).unwrap().file_id, again.file_id);
}

#[test]
fn signed_links_are_bound_to_version_order_user_and_time() {
    let mut fx = fixture();
    let v1 = fx.add("PQ-1001", "proof.pdf", &pdf("v1"), "proof", false, false);
    let alice = customer(ALICE);
    let link = |user: u64, order: &str, version_id: u64, expires: i64| {
        signing::sign_download(SECRET, &signing::DownloadLink { version_id, user_id: user, order: order.into(), expires }).unwrap()
    };
    let future = chrono::Utc::now().timestamp() + 3600;
    let ok = link(ALICE, "PQ-1001", v1.version_id, future);
    assert_eq!(fx.download(&alice, DownloadRequest { token: Some(ok.clone()), ..req("PQ-1001") }).unwrap().version_id, v1.version_id);
    for (what, who, token) in [
        ("expired", alice.clone(), link(ALICE, "PQ-1001", v1.version_id, chrono::Utc::now().timestamp() - 1)),
        ("other user logged in", customer(AMY), ok.clone()),
        ("tampered version", alice.clone(), ok.replacen(&v1.version_id.to_string(), &(v1.version_id + 1).to_string(), 1)),
        ("tampered tag", alice.clone(), format!("{}{}", &ok[..ok.len() - 1], if ok.ends_with('0') { '1' } else { '0' })),
    ] {
        assert!(matches!(fx.download(&who, DownloadRequest { token: Some(token), ..req("PQ-1001") }), Err(Error::NotFound)), "{what}");
    }
    assert!(matches!(fx.download(&alice, DownloadRequest { token: Some(ok), ..req("PQ-1002") }), Err(Error::NotFound)), "other order");
}

#[test]
fn customer_uploads_are_checked_by_content_and_size() {
    let mut fx = fixture();
    let upload = |fx: &mut Fx, who: u64, order: &str, name: &str, bytes: &[u8]| {
        let path = fx.write_src("upload.tmp", bytes);
        let a = AddFile { order: order.into(), path, name: Some(name.into()), storage: fx.storage(), ..Default::default() };
        fx.db.run(async |c, cfg| files::customer_upload(c, cfg, &customer(who), a).await)
    };
    let stored = upload(&mut fx, AMY, "PQ-1001", "../../artwork.php", &pdf("art")).unwrap();
    let UploadOutcome::Stored { file } = stored else { panic!("stored: {stored:?}") };
    assert_eq!(file.file_name, "artwork.php.pdf");
    assert!(file.shared && !file.internal);
    let n = fx.blobs();
    let r = upload(&mut fx, ALICE, "PQ-1001", "shell.pdf", b"<?php system($_GET['c']); ?>").unwrap();
    assert_eq!(r, UploadOutcome::Refused { notice: "bad_type", limit: 0 });
    fx.db.run(async |c, cfg| files::settings_update(c, cfg, &Principal::cli(), files::SettingsUpdate { max_upload_bytes: Some(1000), upload_kinds: None }).await.unwrap());
    let r = upload(&mut fx, ALICE, "PQ-1001", "big.pdf", &[pdf("x"), vec![b' '; 5000]].concat()).unwrap();
    assert_eq!(r, UploadOutcome::Refused { notice: "too_large", limit: 1000 });
    assert_eq!(fx.blobs(), n, "refused uploads store nothing");
    assert!(matches!(upload(&mut fx, BOB, "PQ-1001", "x.pdf", &pdf("x")), Err(Error::NotFound)), "a foreign order looks missing");
    assert!(matches!(upload(&mut fx, DAVE, "PQ-1001", "x.pdf", &pdf("x")), Err(Error::NotFound)));
    let versions = fx.db.run(async |c, cfg| files::file_list(c, cfg, &Principal::cli(), files::FileListReq { order: "PQ-1001".into() }).await.unwrap());
    assert_eq!(versions.len(), 1, "only the accepted upload has a row");
}

fn decide(fx: &mut Fx, who: u64, order: &str, approval: u64, decision: &str, comment: &str) -> Result<Decided, Error> {
    let d = Decide { order: order.into(), approval, decision: decision.into(), comment: Some(comment.into()) };
    fx.db.run(async |c, cfg| approvals::decide(c, cfg, &customer(who), d).await)
}

fn request(fx: &mut Fx, order: &str, file: Option<u64>) -> u64 {
    let r = RequestApproval { order: order.into(), file, message: Some("Please check".into()), due: None };
    fx.db.run(async |c, cfg| approvals::request(c, cfg, &Principal::cli(), r).await.unwrap()).approval.id
}

#[test]
fn approvals_need_an_approver_once_and_a_comment_for_changes() {
    let mut fx = fixture();
    let v1 = fx.add("PQ-1001", "proof.pdf", &pdf("v1"), "proof", false, false);
    let internal = fx.add("PQ-1001", "plate.pdf", &pdf("plate"), "production", false, false);
    let r = RequestApproval { order: "PQ-1001".into(), file: Some(internal.file_id), ..Default::default() };
    assert!(matches!(fx.db.run(async |c, cfg| approvals::request(c, cfg, &Principal::cli(), r).await), Err(Error::InvalidInput(_))), "no approval of an internal file");
    let a = request(&mut fx, "PQ-1001", Some(v1.file_id));
    assert!(matches!(decide(&mut fx, AMY, "PQ-1001", a, "approve", ""), Ok(Decided::Refused { notice: "not_approver" })), "a viewer cannot approve");
    assert!(matches!(decide(&mut fx, BOB, "PQ-1001", a, "approve", ""), Err(Error::NotFound)), "another customer cannot even see it");
    assert!(matches!(decide(&mut fx, ALICE, "PQ-1002", a, "approve", ""), Err(Error::NotFound)), "approval X must belong to order Y");
    assert!(matches!(decide(&mut fx, ALICE, "PQ-1001", a, "changes", "  "), Ok(Decided::Refused { notice: "comment_required" })));
    let Ok(Decided::Decided { approval, receipt, .. }) = decide(&mut fx, ALICE, "PQ-1001", a, "approve", "Looks good") else { panic!() };
    assert_eq!((approval.status.as_str(), approval.file_sha256.as_deref()), ("approved", Some(v1.sha256.as_str())));
    assert_eq!(approval.decision_receipt.as_deref(), Some(receipt.as_str()));
    assert!(matches!(decide(&mut fx, ALICE, "PQ-1001", a, "changes", "again"), Ok(Decided::Refused { notice: "already_decided" })), "no second decision");
    let v = fx.db.run(async |c, cfg| approvals::verify(c, cfg, &Principal::cli(), VerifyReq::default()).await.unwrap());
    assert!(v.ok && v.entries == 2, "{v:?}");
}

#[test]
fn chain_verifies_after_1000_decisions_and_fails_after_an_edit() {
    let mut fx = fixture();
    for i in 0..1000u64 {
        let order = if i % 2 == 0 { "PQ-1001" } else { "PQ-1002" };
        let a = request(&mut fx, order, None);
        let (decision, comment) = if i % 3 == 0 { ("changes", format!("change #{i}")) } else { ("approve", String::new()) };
        assert!(matches!(decide(&mut fx, ALICE, order, a, decision, &comment), Ok(Decided::Decided { .. })));
    }
    let cli = Principal::cli();
    let v = fx.db.run(async |c, cfg| approvals::verify(c, cfg, &cli, VerifyReq::default()).await.unwrap());
    assert!(v.ok && v.entries == 2000 && v.orders == 2, "{v:?}");
    // Quietly change one decision's comment in the log.
    fx.db.sql("UPDATE {p}approval_log SET comment = 'all fine' WHERE order_ref = 'PQ-1002' AND seq = 700");
    let v = fx.db.run(async |c, cfg| approvals::verify(c, cfg, &cli, VerifyReq { order: Some("PQ-1002".into()) }).await.unwrap());
    let broken = v.first_broken.expect("broken");
    assert!(!v.ok && broken.order == "PQ-1002" && broken.seq == 700, "{broken:?}");
    let v = fx.db.run(async |c, cfg| approvals::verify(c, cfg, &cli, VerifyReq { order: Some("PQ-1001".into()) }).await.unwrap());
    assert!(v.ok, "the other order's chain is intact");
    // Flip an approval's status in the mutable table: verify notices too.
    fx.db.sql("UPDATE {p}approvals SET status = 'approved', comment = '' WHERE id = (SELECT approval_id FROM {p}approval_log WHERE order_ref = 'PQ-1001' AND seq = 2)");
    let v = fx.db.run(async |c, cfg| approvals::verify(c, cfg, &cli, VerifyReq { order: Some("PQ-1001".into()) }).await.unwrap());
    assert!(!v.ok, "{v:?}");
}
