from django.urls import path

from nämndplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("mal/<int:number>/", views.goal_detail, name="goal_detail"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
