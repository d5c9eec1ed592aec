//! Times catalog loading parts (development aid).
use std::time::Instant;
fn main() {
    let files = alipay_explain::__private::builtin_catalog_files();
    let t = Instant::now();
    let mut n = 0;
    for (_, j) in files {
        let v: serde_json::Value = serde_json::from_str(j).unwrap();
        n += v["entries"].as_array().unwrap().len();
    }
    println!("serde Value parse {:?} ({n})", t.elapsed());
    let t = Instant::now();
    let k = alipay_explain::__private::normalize_key("系统繁忙");
    println!("first normalize {:?} {k}", t.elapsed());
    let t = Instant::now();
    for (o, j) in files {
        alipay_explain::Catalog::from_json(o, j).unwrap();
    }
    println!("from_json all {:?}", t.elapsed());
}
