//! Times the phases of one explain call (development aid).
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let c = alipay_explain::Catalog::builtin().unwrap();
    let t1 = t.elapsed();
    let e = alipay_explain::Explainer::new().unwrap();
    let t2 = t.elapsed();
    e.prepare().unwrap();
    let t3 = t.elapsed();
    let out = e.explain("抱歉，暂时无法操作。失败原因 系统出错啦。");
    let t4 = t.elapsed();
    let out2 = e.explain("抱歉，暂时无法操作。失败原因 系统出错啦。");
    let t5 = t.elapsed();
    println!(
        "catalog {:?} explainer {:?} prepare {:?} explain {:?} again {:?} ({} {} {})",
        t1,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        t5 - t4,
        c.len(),
        out.matches.len(),
        out2.matches.len()
    );
    let json: usize = alipay_explain::__private::builtin_catalog_files()
        .iter()
        .map(|(_, j)| j.len())
        .sum();
    println!("catalog json bytes {json}");
}
