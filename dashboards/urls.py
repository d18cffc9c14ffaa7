from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal_detail, name="goal_detail"),
    path("kommuner/", views.municipality_matrix, name="municipality_matrix"),
    path("kommuner/<str:name>/", views.municipality_detail, name="municipality_detail"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
