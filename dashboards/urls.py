from django.urls import path

from dashboards import presentation_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal_detail, name="goal_detail"),
    path("kommuner/", views.municipality_matrix, name="municipality_matrix"),
    path("kommuner/<str:name>/", views.municipality_detail, name="municipality_detail"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("motesvy/", presentation_views.presentation_start, name="presentation"),
    path("motesvy/mal/<int:number>/", presentation_views.presentation_goal, name="presentation_goal"),
    path("motesvy/slut/", presentation_views.presentation_end, name="presentation_end"),
]
