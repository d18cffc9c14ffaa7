"""A request larger than the biggest upload is refused before it is read, with a Swedish page in the site's layout."""

from django.urls import reverse


def test_a_too_large_request_gets_a_swedish_page_with_a_way_back(staff_client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    body = {"file": "x" * 2_600_000}  # 2 600 000 / 1 048 576 = 2,48… MB, rounded up to 2,5
    response = staff_client.post(reverse("procurement:import_upload"), body)
    page = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Förfrågan är för stor – Upphandlingscenter</title>" in page  # the site's own layout
    assert '<h1 id="error-heading">Förfrågan är för stor</h1>' in page
    assert "Det du skickade är 2,5\xa0MB; en fil får vara högst 10\xa0MB." in page
    assert f'<a href="{reverse("procurement:import_upload")}">Tillbaka till importen</a>' in page
    assert f'href="{reverse("dashboards:home")}"' in page


def test_a_request_within_the_limit_is_not_refused(staff_client, settings):
    settings.MAX_REQUEST_BYTES = 100_000
    response = staff_client.post(reverse("procurement:import_upload"), {})
    assert response.status_code == 200
