import Crypto
import ExportGateTestSupport
import Foundation
import Testing

/// The browse page in a real browser (Debian's chromium, headless, driven by PyPI's selenium
/// through chromium-driver), clicked through as a person would: type a word in the search box,
/// open the file record found, download its file (same bytes as restored), follow its lookup
/// to the parent record and see the parent's related list. Screenshots of each step go to
/// `.build/screenshots/` for a person to look at.
@Suite struct BrowseInBrowserTests {
  static let toolsPresent: Bool = {
    let run = try? ExportGateBinary.run(
      ["python3", "-c", "import selenium"], binary: "/usr/bin/env")
    return run?.status == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
  }()

  static let script = """
    import hashlib, os, sys, time
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    url, word, shots, downloads = sys.argv[1:5]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    def shot(name):
        driver.save_screenshot(os.path.join(shots, name + ".png"))
    try:
        driver.get(url)
        shot("browse-1-objects")
        box = driver.find_element(By.NAME, "q")
        box.send_keys(word)
        box.submit()
        assert driver.find_elements(By.TAG_NAME, "mark"), "no match marked"
        shot("browse-2-search")
        driver.find_element(By.XPATH, "//h2[starts-with(normalize-space(.), 'Attachment')]/following-sibling::ul[1]//a").click()
        shot("browse-3-file-record")
        link = driver.find_element(By.XPATH, "//h2[.='Files']/following-sibling::table[1]//a")
        name = link.text
        link.click()
        target = os.path.join(downloads, name)
        for _ in range(600):
            if os.path.exists(target) and not os.path.exists(target + ".crdownload"):
                break
            time.sleep(0.1)
        print("downloaded", hashlib.sha256(open(target, "rb").read()).hexdigest())
        driver.find_element(By.XPATH, "//th[.='ParentId']/following-sibling::td/a").click()
        shot("browse-4-parent")
        assert "Attachment by ParentId" in driver.page_source, "no related list on the parent"
        print("parent", driver.find_element(By.TAG_NAME, "h1").text)
    finally:
        driver.quit()
    """

  @Test(
    .enabled(
      if: toolsPresent || SharedCorpus.isRequired,
      "needs chromium, chromium-driver and selenium (scripts/ensure-test-tools installs them)"))
  func aPersonFindsARecordByAWordAndReachesItsFileAndParent() throws {
    #expect(Self.toolsPresent, "CI installs chromium-driver and selenium")
    let (directory, folder) = try BrowseServerTests.restore()
    defer { withExtendedLifetime(directory) {} }
    let page = try BrowseProcess(folder: folder)
    let shots = SharedCorpus.projectRoot + "/.build/screenshots"
    try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
    let downloads = directory.file("downloads")
    try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
    let run = try ExportGateBinary.run(
      ["python3", "-c", Self.script, page.url, ArchiveWriterTests.word, shots, downloads],
      binary: "/usr/bin/env")
    #expect(run.status == 0, "\(run.standardError)")
    // The file the attachment found by its name describes, as restore wrote it.
    let export = ArchiveWriterTests.export()
    let attachment = export.table("Attachment")!.rows[0]
    let restored = try BrowseServerTests.restoredFile(folder, id: attachment[0])
    let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: restored)))
      .map { String(format: "%02x", $0) }.joined()
    #expect(run.standardOutput.contains("downloaded \(digest)"), "\(run.standardOutput)")
    let parent = attachment[export.table("Attachment")!.column("ParentId")]
    let parentTable = try #require(export.tables.first { $0.rows.contains { $0[0] == parent } })
    let parentName = parentTable.rows.first { $0[0] == parent }?[parentTable.column("Name")]
    #expect(run.standardOutput.contains("parent \(parentName ?? "?")"), "\(run.standardOutput)")
  }
}
