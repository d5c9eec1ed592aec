//! The word-by-word gloss of text no entry explains, with the CC-CEDICT dictionary behind the
//! glossary (feature `dictionary`, on by default): screens of ordinary UI words are glossed
//! with no word left without a sense.

#![cfg(feature = "dictionary")]

use alipay_explain::Explanation;

use crate::util::EXPLAINER;

/// An Alipay screen as a person pastes it: the status bar, the bill-detail page's labels,
/// the tab bar and home-screen shortcuts, dialogs' buttons. Every line is UI wording of the
/// Alipay app (the bill detail screen's field names, the tab bar, update and permission
/// dialogs) or the phone's own status bar.
const SCREEN: &str = "\
中国移动 4G 下午3:15 87%
账单详情
-128.00
交易成功
支付时间 2024-05-01 15:14:09
付款方式 余额宝
商品说明 便利店消费
收单机构 支付宝(中国)网络技术有限公司
账单分类 餐饮美食
标签和备注 添加
对此订单有疑问
查看往来记录
首页 理财 消息 我的
扫一扫 收付款 出行 卡包
重新加载
暂不 允许 不允许 稍后再说 立即更新 忽略 关闭
取消 确定
返回 完成 知道了 去设置 联系客服
中国联通 中国电信 无服务 飞行模式 上午 晚上 星期三";

/// The Chinese characters of `text`.
fn han(text: &str) -> String {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

/// Every Chinese character of the unmatched text is in a glossed word, and every glossed
/// word has pinyin and an English sense: what the text output shows as `?` never appears.
fn assert_fully_glossed(out: &Explanation) {
    for u in &out.unmatched {
        let words: String = u.gloss.iter().map(|g| g.word.as_str()).collect();
        assert_eq!(han(&words), han(&u.text), "not all glossed: {:?}", u.gloss);
        for g in &u.gloss {
            assert!(!g.pinyin.trim().is_empty(), "{g:?}");
            assert!(
                g.en.as_deref().is_some_and(|e| !e.trim().is_empty()),
                "no sense: {g:?} in {:?}",
                u.text
            );
        }
    }
}

#[test]
fn a_screen_of_common_ui_words_has_no_question_marks() {
    let out = EXPLAINER.explain(SCREEN);
    assert!(
        out.unmatched.len() >= 15,
        "most of the screen is glossed: {:?}",
        out.unmatched.iter().map(|u| &u.text).collect::<Vec<_>>()
    );
    assert_fully_glossed(&out);
    // the status bar: the carrier and the afternoon
    let words: Vec<(&str, &str)> = out
        .unmatched
        .iter()
        .flat_map(|u| &u.gloss)
        .map(|g| (g.word.as_str(), g.en.as_deref().unwrap_or("?")))
        .collect();
    assert!(
        words.contains(&("中国移动", "China Mobile (phone carrier)")),
        "{words:?}"
    );
    assert!(words
        .iter()
        .any(|&(w, e)| w == "下午" && e.contains("afternoon")));
    for button in [
        "取消",
        "确定",
        "返回",
        "完成",
        "知道了",
        "去设置",
        "联系客服",
    ] {
        assert!(
            words.iter().any(|&(w, _)| w == button),
            "{button}: {words:?}"
        );
    }
}

#[test]
fn the_words_the_glossary_lacked_get_sense_and_pinyin() {
    for (text, word, pinyin, sense) in [
        ("请致电95188", "致电", "zhìdiàn", "to phone"),
        ("中国移动", "中国移动", "Zhōngguó Yídòng", "China Mobile"),
        ("下午3:15", "下午", "xiàwǔ", "afternoon"),
        ("该交易已被拦截", "拦截", "lánjié", "intercept"),
    ] {
        let out = EXPLAINER.explain(text);
        assert_fully_glossed(&out);
        let g = out
            .unmatched
            .iter()
            .flat_map(|u| &u.gloss)
            .find(|g| g.word == word)
            .unwrap_or_else(|| panic!("{word} not a word of {text}: {:?}", out.unmatched));
        assert_eq!(g.pinyin, pinyin, "{word}");
        assert!(g.en.as_deref().unwrap().contains(sense), "{word}: {g:?}");
    }
}

#[test]
fn traditional_characters_are_glossed() {
    let out = EXPLAINER.explain("請致電客服 您的帳戶已被凍結 確定 返回");
    assert_fully_glossed(&out);
    let gloss: Vec<_> = out.unmatched.iter().flat_map(|u| &u.gloss).collect();
    // the word as written, the dictionary's pinyin and sense
    let call = gloss.iter().find(|g| g.word == "致電").expect("致電");
    assert_eq!(call.pinyin, "zhìdiàn");
    // the glossary's Alipay sense also for the traditional form of its word
    let ok = gloss.iter().find(|g| g.word == "確定").expect("確定");
    assert_eq!(ok.en.as_deref(), Some("OK; confirm"));
}

/// The JSON of a gloss is the README's contract: `word`, `pinyin`, `en` (`null` when unknown).
#[test]
fn gloss_json_keeps_its_fields() {
    let out = EXPLAINER.explain("请致电客服 㐀");
    let gloss = &out.unmatched[0].gloss;
    let json = serde_json::to_string(&gloss[1]).unwrap();
    assert!(
        json.starts_with(r#"{"word":"致电","pinyin":"zhìdiàn","en":"to phone"#),
        "{json}"
    );
    let json = serde_json::to_string(gloss.last().unwrap()).unwrap();
    assert!(json.starts_with(r#"{"word":"㐀","pinyin":""#), "{json}");
    assert!(json.ends_with(r#","en":null}"#), "{json}");
}
