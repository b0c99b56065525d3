package org.varec.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver): a visitor answers
 * three questions, recommendations appear and change; a screenshot lands in
 * target/varec-page.png. Skips, saying why, only where no browser is installed.
 */
class BrowserTest {
    @TempDir
    Path dir;

    @Test
    void visitorAnswersAndSeesRecommendationsChange() throws Exception {
        // -Dvarec.page.model=M.varec -Dvarec.page.shot=P.png: the same visit on a real model, for the docs' picture
        String given = System.getProperty("varec.page.model");
        Path model = given != null ? Path.of(given) : ServerFixture.model(dir, "vbmf", "vbmf", "rank=4");
        Path shot = Path.of(System.getProperty("varec.page.shot", "target/varec-page.png"));
        visit(model, shot);
    }

    private void visit(Path model, Path shot) throws Exception {
        Path chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        Path driver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Assumptions.assumeTrue(chromium != null && driver != null,
                "no Chromium and chromedriver here (apt-get install chromium chromium-driver); browser test skipped");
        try (VarecServer server = VarecServer.start(new VarecServer.Options("127.0.0.1", 0, List.of(model), null, null))) {
            ChromeOptions o = new ChromeOptions();
            o.setBinary(chromium.toFile());
            o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver browser = new ChromeDriver(service, o);
            try {
                browser.get("http://127.0.0.1:" + server.port() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.until(d -> d.findElements(By.cssSelector("#questions li .stars button")).size() >= 4);
                String previous = "";
                for (int q = 0; q < 3; q++) {
                    List<WebElement> open = browser.findElements(By.cssSelector("#questions li:not(.answered)"));
                    WebElement star = open.get(0).findElements(By.cssSelector(".stars button")).get(q == 1 ? 0 : 4);
                    star.click();
                    String before = previous;
                    wait.until(d -> {
                        String now = d.findElement(By.id("recs")).getText();
                        return !now.isEmpty() && !now.equals(before);
                    });
                    String now = browser.findElement(By.id("recs")).getText();
                    assertNotEquals(previous, now, "recommendations change after answer " + (q + 1));
                    previous = now;
                }
                assertEquals(3, browser.findElements(By.cssSelector("#questions li.answered")).size());
                assertEquals(10, browser.findElements(By.cssSelector("#recs li")).size());
                assertTrue(browser.findElements(By.cssSelector("#recs .bar")).size() > 0, "intervals drawn");
                browser.findElements(By.cssSelector("#recs a.item")).get(0).click();
                wait.until(d -> d.findElements(By.cssSelector("#similar li")).size() > 0);
                Files.createDirectories(shot.toAbsolutePath().getParent());
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    private static Path firstExisting(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }
}
