import Testing
@testable import NewsLintOnline

/// IDNA ToASCII for the online image check: a remote image on a non-ASCII host was "not checked
/// (non-ASCII host)". Punycode against RFC 3492's own samples (section 7.1), then hosts.
struct IDNATests {
    @Test func punycodeOfTheRFCSamples() {
        func code(_ points: [UInt32]) -> String? { IDNA.punycode(points) }
        // (A) Arabic (Egyptian)
        #expect(code([0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634, 0x0639, 0x0631,
                      0x0628, 0x064A, 0x061F]) == "egbpdaj6bu4bxfgehfvwxn")
        // (B) Chinese (simplified)
        #expect(code([0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587]) == "ihqwcrb4cv8a8dqg056pqjye")
        // (C) Chinese (traditional)
        #expect(code([0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587]) == "ihqwctvzc91f659drss3x8bo0yb")
        // (D) Czech: Pro<ccaron>prost<ecaron>nemluv<iacute><ccaron>esky (case kept)
        #expect(code([0x50, 0x72, 0x6F, 0x010D, 0x70, 0x72, 0x6F, 0x73, 0x74, 0x011B, 0x6E, 0x65, 0x6D, 0x6C, 0x75, 0x76, 0x00ED, 0x010D,
                      0x65, 0x73, 0x6B, 0x79]) == "Proprostnemluvesky-uyb24dma41a")
        // (L) 3<nen>B<gumi><kinpachi><sensei>
        #expect(code([0x33, 0x5E74, 0x42, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F]) == "3B-ww4c5e180e575a65lsy2b")
        #expect(code(Array("abc".unicodeScalars.map(\.value))) == "abc-")
    }

    @Test func hostsInASCII() {
        #expect(IDNA.asciiHost("他们为什么不说中文.example") == "xn--ihqwcrb4cv8a8dqg056pqjye.example")
        // Lower case and NFC first: a decomposed é is the precomposed one.
        #expect(IDNA.asciiHost("CAFE\u{301}.Example.FR") == "xn--caf-dma.example.fr")
        #expect(IDNA.asciiHost("café.fr") == "xn--caf-dma.fr")
        // The ideographic full stop as a Chinese input method types it; a trailing dot kept.
        #expect(IDNA.asciiHost("他們爲什麽不說中文。tw") == "xn--ihqwctvzc91f659drss3x8bo0yb.tw")
        #expect(IDNA.asciiHost("café.fr.") == "xn--caf-dma.fr.")
        #expect(IDNA.asciiHost("img.example.hk") == "img.example.hk")
        // Labels that fail: empty, too long, an ASCII character no host has, a hyphen at an end.
        #expect(IDNA.asciiHost("café..fr") == nil)
        // 40 different ideographs: a Punycode label of more than 63 bytes (40 of one ideograph encode in 42).
        let fortyIdeographs = String(String.UnicodeScalarView((0..<40).compactMap { Unicode.Scalar(0x4E00 + $0 * 97) }))
        #expect(IDNA.punycode(fortyIdeographs.unicodeScalars.map(\.value)).map { $0.utf8.count > 63 } == true)
        #expect(IDNA.asciiHost(fortyIdeographs + ".hk") == nil)
        // A label too long for DNS is refused before Punycode runs over it (a megabyte of ideographs).
        #expect(IDNA.asciiHost(String(repeating: "例", count: 60) + ".hk") == nil)
        #expect(IDNA.asciiHost(String(repeating: "例子", count: 500_000) + ".hk") == nil)
        // Full-width letters and dots, as a full-width input mode types them, are ASCII (NFKC).
        #expect(IDNA.asciiHost("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ") == "www.example.com")
        #expect(IDNA.asciiHost("ＩＭＧ．例子．香港") == "img.xn--fsqu00a.xn--j6w193g")
        #expect(IDNA.asciiHost("caf_é.fr") == nil)
        #expect(IDNA.asciiHost("-café.fr") == nil)
    }

    @Test func urlsKeepEverythingButTheHost() {
        #expect(IDNA.asciiHostURL("https://他们为什么不说中文.example/圖片/a.jpg?w=1#x") == "https://xn--ihqwcrb4cv8a8dqg056pqjye.example/圖片/a.jpg?w=1#x")
        #expect(IDNA.asciiHostURL("http://user@café.fr:8080/a.png") == "http://user@xn--caf-dma.fr:8080/a.png")
        #expect(IDNA.asciiHostURL("https://img.example.hk/圖.jpg") == "https://img.example.hk/圖.jpg")
        #expect(IDNA.asciiHostURL("https://[::1]/a.png") == "https://[::1]/a.png")
        #expect(IDNA.asciiHostURL("https://caf_é.fr/a.png") == "https://caf_é.fr/a.png")
        // A backslash ends the authority, as a browser reads it in an http(s) URL.
        #expect(IDNA.asciiHostURL("https://例子.香港\\圖\\a.jpg") == "https://xn--fsqu00a.xn--j6w193g\\圖\\a.jpg")
    }
}
