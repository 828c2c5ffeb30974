#!/usr/bin/env python3
"""Deterministic synthetic news corpus for benchmarks (dev-time only).

Writes N files of realistic Chinese news text, composed from this script's own word
lists, in Simplified and Traditional script, with front matter in most files and the
defect mix of every rule family: mojibake, pinyin artifacts, half-width punctuation,
invisible characters, boilerplate lines, broken image links, duplicate slugs and
duplicate bodies, trailing whitespace, CRLF, missing final newlines, leading blank lines.

Same seed and size -> byte-identical corpus (Python's `random.Random` is stable across versions
for the calls used here: random(), randrange(), choice()).

    python3 Scripts/bench_corpus.py OUT_DIR --files 10000 [--seed 8]
"""
import argparse
import hashlib
import os
import random
import shutil

PLACES = ["哈尔滨", "深圳", "杭州", "成都", "武汉", "西安", "南京", "青岛", "长沙", "昆明", "厦门", "兰州"]
ORGS = ["市政府", "教育局", "卫生健康委员会", "交通运输局", "生态环境局", "科技局", "工业大学", "人民医院",
        "气象台", "文化和旅游局", "发展和改革委员会", "统计局", "农业农村局", "公安局"]
PEOPLE = ["王建国", "李晓梅", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏"]
ROLES = ["党委书记", "局长", "副市长", "校长", "院长", "主任", "新闻发言人", "总工程师"]
VERBS = ["召开", "举行", "发布", "启动", "部署", "推进", "完成", "组织", "开展", "签署"]
EVENTS = ["新闻发布会", "工作会议", "专题培训", "座谈会", "合作协议", "年度报告", "安全检查", "志愿服务活动",
          "招聘计划", "防汛演练", "科技成果展", "调研活动"]
TOPICS = ["经济运行情况", "城市更新项目", "义务教育改革", "医疗服务能力", "乡村振兴工作", "营商环境建设",
          "生态环境保护", "公共交通线路调整", "高校毕业生就业", "文化遗产保护", "数字政府建设", "安全生产形势"]
NUMBERS = ["一", "二", "三", "五", "十二", "二十", "三十六", "一百", "两千"]
UNITS = ["亿元", "万人次", "个项目", "所学校", "公里", "家企业", "项措施"]
TAIL = ["取得积极成效", "进展顺利", "受到广泛关注", "将于年底前完成", "进一步提升群众满意度", "为全市发展注入新动能"]

# Simplified -> Traditional for the characters the word lists use (enough for realistic Traditional text).
S2T = dict(zip(
    "尔滨圳杭汉西宁岛长门兰市政府教育局卫健委员会交运态环境科技业学医气台文旅游发展改革统计农村公开举办布动署进组织协议报告检查务招聘划汛练试调研经济运况项义乡营设护线调高毕就遗产数围绕场县广东区这说们为现实时国华书记长训话题议论总样谈记专讯亿万个所家里将还节关注积极进展顺利响应观点问关系应急资金线网络电视听读写认识决议签约启选举业绩续续头条鲜单车贸易历诗录济两丽从众伟党兴刘势厦吴师张强愿晓来杨满疗绍获赵输闻陈静页黄",
    "爾濱圳杭漢西寧島長門蘭市政府教育局衛健委員會交運態環境科技業學醫氣臺文旅遊發展改革統計農村公開舉辦佈動署進組織協議報告檢查務招聘劃汛練試調研經濟運況項義鄉營設護線調高畢就遺產數圍繞場縣廣東區這說們為現實時國華書記長訓話題議論總樣談記專訊億萬個所家裡將還節關注積極進展順利響應觀點問關係應急資金線網絡電視聽讀寫認識決議簽約啟選舉業績續續頭條鮮單車貿易歷詩錄濟兩麗從眾偉黨興劉勢廈吳師張強願曉來楊滿療紹獲趙輸聞陳靜頁黃",
))
TRAD = str.maketrans(S2T)

BOILERPLATE = [
    "首页 > 新闻中心 > 正文",
    "责任编辑：王小明",
    "版权所有 © 2023 本网站 保留所有权利",
    "【字体：大 中 小】 打印本页 关闭窗口",
    "扫一扫在手机打开当前页",
    "分享到：微信 微博 QQ空间",
    "上一篇： 下一篇：",
    "本文来源：综合整理",
    "点击排行 | 热点推荐",
    "网站地图 | 联系我们 | 免责声明",
]
PINYIN = ["xīnwén", "zhèngfǔ", "jiàoyù", "jīngjì", "Běijīng", "fābùhuì", "xue xiao", "zheng fu"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"]


def sentence(r):
    kind = r.randrange(4)
    if kind == 0:
        return f"{r.choice(PLACES)}{r.choice(ORGS)}{r.choice(VERBS)}{r.choice(EVENTS)}，介绍{r.choice(TOPICS)}。"
    if kind == 1:
        return f"{r.choice(ROLES)}{r.choice(PEOPLE)}表示，{r.choice(TOPICS)}{r.choice(TAIL)}。"
    if kind == 2:
        return f"记者从{r.choice(PLACES)}{r.choice(ORGS)}获悉，今年以来共完成{r.choice(NUMBERS)}{r.choice(UNITS)}，{r.choice(TAIL)}。"
    return f"据了解，{r.choice(PLACES)}围绕{r.choice(TOPICS)}，{r.choice(VERBS)}了{r.choice(EVENTS)}，“{r.choice(TOPICS)}”{r.choice(TAIL)}。"


def paragraph(r):
    return "".join(sentence(r) for _ in range(r.randrange(2, 6)))


def mojibake(text):
    """UTF-8 bytes read as Windows-1252/Latin-1: the classic scraper defect."""
    return text.encode("utf-8").decode("latin-1").replace("\x81", "").replace("\x8d", "").replace("\x8f", "").replace("\x90", "").replace("\x9d", "")


def make_file(r, i, slugs, bodies):
    traditional = r.random() < 0.3
    conv = (lambda s: s.translate(TRAD)) if traditional else (lambda s: s)
    paras = [conv(paragraph(r)) for _ in range(r.randrange(3, 9))]
    defects = []

    # Script family defects.
    if r.random() < 0.06:
        k = r.randrange(len(paras))
        paras[k] = mojibake(paras[k][: r.randrange(8, 30)]) + paras[k][30:]
        defects.append("mojibake")
    if r.random() < 0.06:
        k = r.randrange(len(paras))
        cut = r.randrange(1, max(2, len(paras[k]) - 1))
        paras[k] = paras[k][:cut] + r.choice(PINYIN) + paras[k][cut:]
        defects.append("pinyin")
    if r.random() < 0.10:
        k = r.randrange(len(paras))
        paras[k] = paras[k].replace("，", ",", 2).replace("。", ".", 1)
        defects.append("half-width")
    if r.random() < 0.08:
        k = r.randrange(len(paras))
        cut = r.randrange(len(paras[k]))
        paras[k] = paras[k][:cut] + r.choice(INVISIBLE) + paras[k][cut:]
        defects.append("invisible")
    if r.random() < 0.04 and not traditional:
        k = r.randrange(len(paras))
        paras[k] = paras[k].translate(TRAD)[: len(paras[k]) // 2] + paras[k][len(paras[k]) // 2:]
        defects.append("mixed-script")

    # Images: most fine, some broken.
    if r.random() < 0.35:
        for _ in range(r.randrange(1, 4)):
            name = hashlib.md5(f"{i}-{r.random()}".encode()).hexdigest()[:16]
            roll = r.random()
            if roll < 0.75:
                link = f"![图](https://img.example.cn/news/{name}.jpg)"
            elif roll < 0.85:
                link = "![图]()"
                defects.append("image-empty")
            elif roll < 0.93:
                link = f"![图](images/{name}.jpg)"
                defects.append("image-relative")
            else:
                link = f"![图](http://img.example.cn/a b/{name}.jpg"
                defects.append("image-broken")
            paras.insert(r.randrange(len(paras) + 1), link)

    # Boilerplate lines at the top or bottom.
    if r.random() < 0.25:
        for _ in range(r.randrange(1, 4)):
            line = r.choice(BOILERPLATE)
            if r.random() < 0.5:
                paras.insert(0, line)
            else:
                paras.append(line)
        defects.append("boilerplate")

    # Duplicate and near-duplicate bodies.
    if bodies and r.random() < 0.03:
        paras = list(r.choice(bodies))
        if r.random() < 0.5:
            paras[-1] = conv(paragraph(r))
        defects.append("duplicate-body")
    elif len(bodies) < 200 and r.random() < 0.1:
        bodies.append(tuple(paras))

    body_lines = []
    for p in paras:
        if r.random() < 0.05:
            p += r.choice(["  ", " ", "\t", "   "])
        body_lines.append(p)
        body_lines.append("")

    header = []
    if r.random() < 0.88:
        title = conv(f"{r.choice(PLACES)}{r.choice(ORGS)}{r.choice(VERBS)}{r.choice(EVENTS)}")
        slug = hashlib.md5(f"slug-{i}".encode()).hexdigest()
        if slugs and r.random() < 0.03:
            slug = r.choice(slugs)
            defects.append("duplicate-slug")
        elif len(slugs) < 500:
            slugs.append(slug)
        date = f"20{r.randrange(15, 24)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} {r.randrange(24):02d}:{r.randrange(60):02d}:00"
        if r.random() < 0.04:
            header = ["+++", f'title = "{title}"', f'date = {date[:10]}', f'slug = "{slug}"', "+++"]
        else:
            header = ["---", f"title: {title}"]
            if r.random() < 0.95:
                header.append(f"date: {date}")
            header += [f"slug: {slug}", "tags:", f"- {conv(r.choice(PLACES))}", "categories:",
                       f"- {conv(r.choice(ORGS))}", "---"]
            if r.random() < 0.02:
                header.pop()  # unterminated front matter
    lines = header + body_lines
    newline = "\r\n" if r.random() < 0.04 else "\n"
    text = newline.join(lines)
    if r.random() < 0.03:
        text = newline + newline + text
    if r.random() < 0.05:
        text = text.rstrip("\r\n")
    elif not text.endswith(newline):
        text += newline
    return text


def generate(out, files, seed):
    r = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    slugs, bodies = [], []
    per_dir = 1000
    for i in range(files):
        d = os.path.join(out, f"site{i % 16:02d}", f"batch{i // (per_dir * 16):03d}")
        os.makedirs(d, exist_ok=True)
        ext = ".txt" if i % 5 == 0 else ".md"
        with open(os.path.join(d, f"{i:07d}{ext}"), "w", encoding="utf-8", newline="") as f:
            f.write(make_file(r, i, slugs, bodies))
    with open(os.path.join(out, ".corpus-stamp"), "w") as f:
        f.write(f"files={files} seed={seed}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    a = ap.parse_args()
    generate(a.out, a.files, a.seed)


if __name__ == "__main__":
    main()
