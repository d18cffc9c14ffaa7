from django.urls import path

from indicators import economy_views

app_name = "economy"

urlpatterns = [
    path("", economy_views.economy_list, name="economy_list"),
    path("ny/", economy_views.economy_create, name="economy_create"),
    path("<int:pk>/andra/", economy_views.economy_update, name="economy_update"),
]
