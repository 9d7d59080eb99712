import pytest


@pytest.mark.django_db
def test_home_page_answers_in_english(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'lang="en"' in response.content
